/**
 * The line formats a file source understands, and how a file's format is told from its name.
 */
import { extname } from 'node:path';

/** A line-oriented input format: JSON objects one per line, or CSV rows under a header line. */
export type FileFormat = 'jsonl' | 'csv';

const FORMAT_BY_EXTENSION: Readonly<Record<string, FileFormat>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
  '.csv': 'csv',
};

/**
 * Picks the format of one file: the explicit override if given, else from the extension
 * (case-insensitive). Throws when neither tells, so a stray file never gets parsed as garbage.
 */
export function formatOfFile(path: string, override?: FileFormat): FileFormat {
  if (override !== undefined) return override;
  const format = FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new Error(
      `cannot tell the format of "${path}" from its extension (known: .jsonl, .ndjson, .json, .csv); pass format 'jsonl' or 'csv'`,
    );
  }
  return format;
}
