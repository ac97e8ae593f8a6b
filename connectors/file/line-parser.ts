/**
 * The per-split step that turns one line of a file into a record or a malformed report.
 */
import type { SourceOutput } from '../../common/connector/source.ts';
import type { RejectedLine } from './decode-line.ts';

/** Parses the non-blank lines of one split, in order; may keep state such as a CSV header. */
export interface LineParser {
  /** Emits the line's record, or reports the line as malformed, or (for a header) emits nothing. */
  parse(line: string, output: SourceOutput<Record<string, unknown>>): void;
  /** Reports a line refused before parsing (not UTF-8, too long); a header parser also notes it. */
  reject(line: RejectedLine, output: SourceOutput<Record<string, unknown>>): void;
}
