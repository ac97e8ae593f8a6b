/**
 * CSV: a header line, then one row per line.
 */
import type { SourceOutput } from '../../common/connector/source.ts';
import type { RejectedLine } from './decode-line.ts';
import type { LineParser } from './line-parser.ts';
import { splitCsvFields } from './split-csv-fields.ts';

/**
 * Takes the first line it sees as the header, then turns each row into an object keyed by the
 * header with string values (no type conversion: the job validates). A row that is not valid CSV
 * or has a different number of fields than the header is malformed. An invalid header (bad
 * quoting, a duplicate column name) is reported once, and every row after it is
 * malformed, since no row can be read without a header. So is a header line refused before
 * parsing (not UTF-8, too long).
 */
export class CsvLineParser implements LineParser {
  private header: string[] | undefined;
  private headerError: string | undefined;
  private rawHeader: string | undefined;
  /** Whether the header was refused before parsing: `headerError` then goes into snapshots. */
  private headerRejected = false;
  /** Whether a column is named `__proto__`, which plain assignment would not store as a field. */
  private protoColumn = false;
  private readonly fields: string[] = [];

  /**
   * @param headerLine the header line when resuming past it (from `headerLine` of an earlier
   *   parser): taken silently, so an invalid header is not reported again
   * @param headerRefusal why that header was refused before parsing (from `headerRefusal`)
   */
  constructor(headerLine?: string, headerRefusal?: string) {
    if (headerLine === undefined) return;
    if (headerRefusal !== undefined) this.refuseHeader(headerLine, headerRefusal);
    else this.takeHeader(headerLine, splitCsvFields(headerLine, this.fields));
  }

  /** The line taken as the header, valid or not, once seen. */
  get headerLine(): string | undefined {
    return this.rawHeader;
  }

  /** Why the header line was refused before parsing, if it was. */
  get headerRefusal(): string | undefined {
    return this.headerRejected ? this.headerError : undefined;
  }

  parse(line: string, output: SourceOutput<Record<string, unknown>>): void {
    const fields = this.fields;
    const error = splitCsvFields(line, fields);
    const header = this.header;
    if (header === undefined) {
      if (this.headerError !== undefined) {
        output.malformed(line, `the CSV header is invalid (${this.headerError}), so no row can be read`);
        return;
      }
      this.takeHeader(line, error);
      if (this.headerError !== undefined) output.malformed(line, `invalid CSV header: ${this.headerError}`);
      return;
    }
    if (error !== undefined) {
      output.malformed(line, error);
      return;
    }
    if (fields.length !== header.length) {
      output.malformed(line, `expected ${header.length} fields as in the header, got ${fields.length}`);
      return;
    }
    const record: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) {
      const name = header[i] as string;
      if (this.protoColumn && name === '__proto__') {
        Object.defineProperty(record, name, { value: fields[i], enumerable: true, writable: true, configurable: true });
      } else {
        record[name] = fields[i];
      }
    }
    output.collect(record);
  }

  reject(line: RejectedLine, output: SourceOutput<Record<string, unknown>>): void {
    if (this.header === undefined && this.headerError === undefined) {
      this.refuseHeader(line.raw, line.error);
      output.malformed(line.raw, `invalid CSV header: ${line.error}`);
      return;
    }
    output.malformed(line.raw, line.error);
  }

  private refuseHeader(line: string, error: string): void {
    this.rawHeader = line;
    this.headerError = error;
    this.headerRejected = true;
  }

  /** Takes `line`, already split into `this.fields` with `error`, as the header. */
  private takeHeader(line: string, error: string | undefined): void {
    const fields = this.fields;
    this.rawHeader = line;
    this.headerError = error ?? checkHeader(fields);
    if (this.headerError === undefined) {
      this.header = fields.slice();
      this.protoColumn = fields.includes('__proto__');
    }
  }
}

function checkHeader(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return `duplicate column name "${name}"`;
    seen.add(name);
  }
  return undefined;
}
