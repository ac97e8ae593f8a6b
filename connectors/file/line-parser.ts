/**
 * The per-split step that turns one line of a file into a record or a malformed report.
 */
import type { SourceOutput } from '../../common/connector/source.ts';

/** Parses the non-blank lines of one split, in order; may keep state such as a CSV header. */
export interface LineParser {
  /** Emits the line's record, or reports the line as malformed, or (for a header) emits nothing. */
  parse(line: string, output: SourceOutput<Record<string, unknown>>): void;
}
