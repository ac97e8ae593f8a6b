/**
 * The reader of one file-source subtask: reads its files concurrently and interleaves them.
 */
import { performance } from 'node:perf_hooks';
import { bySplitId, type PollStatus, type SourceOutput, type SourceReader } from '../../common/connector/source.ts';
import { ReaderWakeup } from '../common/reader-wakeup.ts';
import { RateLimiter } from '../datagen/rate-limiter.ts';
import { ChunkedLineReader, type ChunkedReadOptions } from './chunked-line-reader.ts';
import { CsvLineParser } from './csv-line-parser.ts';
import type { FileSplit } from './file-split.ts';
import { isBlankLine } from './is-blank-line.ts';
import { JsonlLineParser } from './jsonl-line-parser.ts';
import type { LineParser } from './line-parser.ts';
import type { RecordValidator } from './file-source-options.ts';

interface OpenSplit {
  readonly id: string;
  readonly split: FileSplit;
  readonly lines: ChunkedLineReader;
  readonly parser: LineParser;
  /** The parser when the split is CSV, whose header a snapshot carries. */
  readonly csv: CsvLineParser | undefined;
}

/**
 * Reads the file splits of one subtask. Every split is read in the background with a bounded
 * read-ahead; `pollNext` serves one split at a time until its buffered lines run out or the poll
 * is full, and the next poll starts at the next split, so splits interleave by batches while
 * each split stays in line order. Tracks the byte offset of every split's next unread line for
 * checkpoints (`snapshotState`) and resumes from `FileSplit.offset` (and `header`, `finished`).
 * With a rate, a poll emits at most what the schedule allows (records and malformed lines count,
 * blank lines do not) and `available` then waits on a timer.
 */
export class FileSourceReader implements SourceReader<Record<string, unknown>> {
  private readonly active: OpenSplit[] = [];
  /** Splits added as already finished, whose end the next poll reports. */
  private readonly ending: FileSplit[] = [];
  private readonly finished: FileSplit[] = [];
  private cursor = 0;
  private opened = false;
  private closed = false;
  private readonly wakeup = new ReaderWakeup();
  private readonly notify = this.wakeup.notify;

  private readonly validating: ValidatingOutput | undefined;
  private readonly limiter: RateLimiter | undefined;
  /** Whether the last poll stopped because of the rate, with lines possibly still buffered. */
  private throttled = false;

  /**
   * @param readOptions chunk size and read-ahead of every split
   * @param validate checks each parsed record, or undefined to accept every parsed record
   * @param maxRecordsPerSecond lines per second this reader may emit, or undefined for no limit
   * @param maxMalformedBytes bytes of malformed reports its subtask may emit between two
   *   checkpoints, or undefined for the runtime's default
   */
  constructor(
    private readonly readOptions: ChunkedReadOptions,
    validate?: RecordValidator,
    maxRecordsPerSecond?: number,
    readonly maxMalformedBytes?: number,
  ) {
    this.validating = validate ? new ValidatingOutput(validate) : undefined;
    this.limiter = maxRecordsPerSecond === undefined ? undefined : new RateLimiter(maxRecordsPerSecond);
  }

  addSplits(splits: readonly FileSplit[]): void {
    for (const split of splits) {
      if (split.finished === true) {
        this.ending.push(split);
        continue;
      }
      const offset = split.offset ?? 0;
      const csv = split.format === 'csv' ? new CsvLineParser(split.header, split.headerError) : undefined;
      const replayHeader = csv !== undefined && split.header === undefined;
      const lines = new ChunkedLineReader(split.path, offset, replayHeader, this.readOptions, this.notify);
      this.active.push({ id: split.id, split, lines, parser: csv ?? new JsonlLineParser(), csv });
      if (this.opened) lines.start();
    }
    this.notify();
  }

  /** Whether no split is left to read (splits added as finished count as read). */
  get exhausted(): boolean {
    return this.active.length === 0;
  }

  async open(): Promise<void> {
    this.opened = true;
    for (const split of this.active) split.lines.start();
  }

  pollNext(target: SourceOutput<Record<string, unknown>>, maxRecords: number): PollStatus {
    const active = this.active;
    const validating = this.validating;
    let output = target;
    if (validating) {
      validating.target = target;
      output = validating;
    }
    for (const split of this.ending.splice(0)) {
      this.finished.push(split);
      target.splitEnded(split.id);
    }
    let budget = maxRecords;
    const limiter = this.limiter;
    if (limiter !== undefined) {
      if (active.length === 0) return 'end';
      const allowed = limiter.allowance(performance.now());
      this.throttled = true;
      if (allowed <= 0) return 'nothing';
      if (allowed < budget) budget = allowed;
    }
    let emitted = 0;
    let idle = 0;
    let announced: OpenSplit | undefined;
    while (emitted < budget && active.length > 0) {
      if (this.cursor >= active.length) this.cursor = 0;
      const split = active[this.cursor] as OpenSplit;
      const line = split.lines.nextLine();
      if (line === null) {
        if (split.lines.ended) {
          active.splice(this.cursor, 1);
          this.finished.push({ ...progressOf(split), finished: true });
          target.splitEnded(split.id);
          split.lines.close().catch(ignoreCloseError);
        } else {
          this.cursor++;
          if (++idle >= active.length) break;
        }
        continue;
      }
      idle = 0;
      const text = typeof line === 'string';
      if (text && isBlankLine(line)) continue;
      if (split !== announced) {
        target.setSplit(split.id);
        announced = split;
      }
      if (!text) split.parser.reject(line, target);
      else {
        if (validating) validating.line = line;
        split.parser.parse(line, output);
      }
      emitted++;
    }
    if (limiter !== undefined) {
      limiter.consume(emitted);
      this.throttled = emitted === budget && budget < maxRecords;
    }
    if (active.length === 0) return 'end';
    if (emitted < budget) return 'nothing';
    this.cursor++;
    return budget < maxRecords ? 'nothing' : 'more';
  }

  available(): Promise<void> {
    if (this.closed || this.active.length === 0 || this.ending.length > 0) return Promise.resolve();
    const limiter = this.limiter;
    if (limiter !== undefined) {
      const now = performance.now();
      if (limiter.allowance(now) <= 0) return this.wakeup.wait(limiter.delayMs(now));
      if (this.throttled) return Promise.resolve();
    }
    if (this.active.some((split) => split.lines.hasNews)) return Promise.resolve();
    return this.wakeup.wait();
  }

  /** Every split this reader was given with its progress, sorted by split id: what a checkpoint stores. */
  snapshotState(): FileSplit[] {
    const splits = [...this.finished, ...this.ending];
    for (const split of this.active) splits.push(progressOf(split));
    return splits.sort(bySplitId);
  }

  /** Closes the files; the splits stay, so `snapshotState` still reports where they stood. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.active.map((split) => split.lines.close()));
    this.wakeup.close();
  }
}

/** The split with the offset of its next unread line and, for CSV, the header once read. */
function progressOf(open: OpenSplit): FileSplit {
  const header = open.csv?.headerLine;
  const split: FileSplit = { ...open.split, offset: open.lines.offset };
  if (header === undefined) return split;
  const headerError = open.csv?.headerRefusal;
  return headerError === undefined ? { ...split, header } : { ...split, header, headerError };
}

/** A read-only file that fails to close loses nothing; the split has been read completely. */
function ignoreCloseError(): void {}

/** Passes parsed records through a validator; an invalid record is reported with its raw line. */
class ValidatingOutput implements SourceOutput<Record<string, unknown>> {
  target!: SourceOutput<Record<string, unknown>>;
  line = '';

  constructor(private readonly validate: RecordValidator) {}

  collect(record: Record<string, unknown>): void {
    const problem = this.validate(record);
    if (problem === undefined) this.target.collect(record);
    else this.target.malformed(this.line, problem);
  }

  malformed(raw: string, error: string): void {
    this.target.malformed(raw, error);
  }

  setSplit(splitId: string): void {
    this.target.setSplit(splitId);
  }

  splitEnded(splitId: string): void {
    this.target.splitEnded(splitId);
  }
}
