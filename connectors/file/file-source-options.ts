/**
 * Options of a file source, with their defaults.
 */
import { DEFAULT_MAX_MALFORMED_BYTES } from '../../common/connector/source.ts';
import type { ChunkedReadOptions } from './chunked-line-reader.ts';
import type { FileFormat } from './file-format.ts';

/** How a file input is read. */
export interface FileSourceOptions {
  /** The job's name for this input, to name it in error messages. */
  readonly inputName?: string;
  /** Forces the format of every file; by default it comes from each file's extension. */
  readonly format?: FileFormat;
  /** Bytes per read; default 64 KiB. */
  readonly chunkSize?: number;
  /** Read-ahead per split, in chunks; default 2. */
  readonly maxBufferedChunks?: number;
  /**
   * The longest line read, in bytes (its `\n` excluded); default 1 MiB. A longer line goes to
   * the malformed output with its first bytes, and is skipped without being held in memory.
   */
  readonly maxLineBytes?: number;
  /** Checks each parsed record; a returned message reports the line as malformed instead. */
  readonly validate?: RecordValidator;
  /**
   * Caps how fast each source subtask emits: at most this many lines per second (records and
   * malformed lines; blank lines are free), for example to replay a file slowly. Must be a
   * positive finite number; by default reading is not paced.
   */
  readonly maxRecordsPerSecond?: number;
  /**
   * The most bytes of malformed reports (`raw` and `error`) each source subtask may emit between
   * two checkpoints (from the start without checkpoints); beyond it the task fails with an error
   * naming this limit, so a broken input cannot grow the `malformed` output without bound. A
   * positive integer; default 64 MiB (`DEFAULT_MAX_MALFORMED_BYTES`).
   */
  readonly maxMalformedBytes?: number;
}

/** Returns why a parsed record is invalid, or undefined when it is valid. */
export type RecordValidator = (record: Record<string, unknown>) => string | undefined;

/** Default bytes per read. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Default read-ahead per split, in chunks. */
export const DEFAULT_MAX_BUFFERED_CHUNKS = 2;

/** Default longest line, in bytes. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** Fills in the defaults and rejects sizes that cannot work. */
export function chunkedReadOptions(options: FileSourceOptions): ChunkedReadOptions {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const maxBufferedChunks = options.maxBufferedChunks ?? DEFAULT_MAX_BUFFERED_CHUNKS;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`file source: chunkSize must be a positive integer, got ${chunkSize}`);
  if (!Number.isInteger(maxBufferedChunks) || maxBufferedChunks < 1) {
    throw new Error(`file source: maxBufferedChunks must be a positive integer, got ${maxBufferedChunks}`);
  }
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new Error(`file source: maxLineBytes must be a positive integer, got ${String(maxLineBytes)}`);
  }
  return { chunkSize, maxBufferedChunks, maxLineBytes };
}

/** Returns the validated `maxMalformedBytes`, or the default. */
export function maxMalformedBytesOf(options: FileSourceOptions): number {
  const limit = options.maxMalformedBytes ?? DEFAULT_MAX_MALFORMED_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`file source: maxMalformedBytes must be a positive integer, got ${String(limit)}`);
  return limit;
}

/** Returns the validated `maxRecordsPerSecond`, or undefined when reading is not paced. */
export function maxRecordsPerSecondOf(options: FileSourceOptions): number | undefined {
  const rate = options.maxRecordsPerSecond;
  if (rate === undefined) return undefined;
  if (typeof rate !== 'number' || !(rate > 0) || !Number.isFinite(rate)) {
    throw new Error(`file source: maxRecordsPerSecond must be a positive finite number, got ${String(rate)}`);
  }
  return rate;
}
