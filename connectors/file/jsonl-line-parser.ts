/**
 * JSONL: one JSON object per line.
 */
import type { SourceOutput } from '../../common/connector/source.ts';
import type { RejectedLine } from './decode-line.ts';
import type { LineParser } from './line-parser.ts';

/** Parses a line as JSON; anything that is not a JSON object is malformed. Stateless. */
export class JsonlLineParser implements LineParser {
  parse(line: string, output: SourceOutput<Record<string, unknown>>): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      output.malformed(line, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      output.malformed(line, `expected a JSON object, got ${describeJson(value)}`);
      return;
    }
    output.collect(value as Record<string, unknown>);
  }

  reject(line: RejectedLine, output: SourceOutput<Record<string, unknown>>): void {
    output.malformed(line.raw, line.error);
  }
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
