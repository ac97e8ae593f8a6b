/**
 * Test helper: drives a source reader the way a source task does, until it ends.
 */
import type { SourceOutput, SourceReader, SourceSplit } from '../../../common/connector/source.ts';

/** A line a reader reported as malformed. */
export interface MalformedLine {
  readonly raw: string;
  readonly error: string;
}

/** Everything a reader emitted, in emission order. */
export interface Drained<T> {
  readonly records: T[];
  readonly malformed: MalformedLine[];
  /** Records and malformed lines interleaved in emission order. */
  readonly sequence: Array<T | MalformedLine>;
  /** How many polls returned `nothing`. */
  readonly waits: number;
}

/** An output that records what it is given. */
export class CapturingOutput<T> implements SourceOutput<T> {
  readonly records: T[] = [];
  readonly malformedLines: MalformedLine[] = [];
  readonly sequence: Array<T | MalformedLine> = [];
  /** The split each entry of `sequence` came from, as announced by `setSplit`. */
  readonly splitOf: string[] = [];
  /** Splits announced as ended, in order. */
  readonly ended: string[] = [];
  private split = '';

  setSplit(splitId: string): void {
    this.split = splitId;
  }

  splitEnded(splitId: string): void {
    this.ended.push(splitId);
  }

  collect(record: T): void {
    this.splitOf.push(this.split);
    this.records.push(record);
    this.sequence.push(record);
  }

  malformed(raw: string, error: string): void {
    const line = { raw, error };
    this.splitOf.push(this.split);
    this.malformedLines.push(line);
    this.sequence.push(line);
  }
}

/** How a drain proceeds. */
export interface DrainOptions {
  /** `maxRecords` of each poll; default 100. */
  readonly maxRecords?: number;
  /** Stops after this many records even if the reader has not ended (for unbounded readers). */
  readonly limit?: number;
  /** Fails the drain after this long; default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * Adds the splits, opens the reader, polls until `end` (waiting on `available` after `nothing`)
 * or until `limit` records, and closes it.
 */
export async function drainReader<T, S extends SourceSplit>(reader: SourceReader<T>, splits: readonly S[], options: DrainOptions = {}): Promise<Drained<T>> {
  reader.addSplits(splits);
  await reader.open();
  try {
    return await pollUntilEnd(reader, options);
  } finally {
    await reader.close();
  }
}

/** Polls an opened reader until `end` or `limit` records; does not close it. */
export async function pollUntilEnd<T>(reader: SourceReader<T>, options: DrainOptions = {}): Promise<Drained<T>> {
  const maxRecords = options.maxRecords ?? 100;
  const limit = options.limit ?? Infinity;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const output = new CapturingOutput<T>();
  let waits = 0;
  for (;;) {
    const status = reader.pollNext(output, Math.min(maxRecords, limit - output.records.length));
    if (status === 'end' || output.records.length >= limit) break;
    if (Date.now() > deadline) throw new Error(`drainReader: no end after ${options.timeoutMs ?? 10_000} ms`);
    if (status === 'nothing') {
      waits++;
      await reader.available();
    }
  }
  return { records: output.records, malformed: output.malformedLines, sequence: output.sequence, waits };
}
