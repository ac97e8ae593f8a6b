/**
 * The reader of one file-source subtask: reads its files concurrently and interleaves them.
 */
import type { PollStatus, SourceOutput, SourceReader } from '../../common/connector/source.ts';
import { ChunkedLineReader, type ChunkedReadOptions } from './chunked-line-reader.ts';
import { CsvLineParser } from './csv-line-parser.ts';
import { bySplitId, type SplitPosition } from '../split-position.ts';
import type { FileSplit } from './file-split.ts';
import { isBlankLine } from './is-blank-line.ts';
import { JsonlLineParser } from './jsonl-line-parser.ts';
import type { LineParser } from './line-parser.ts';
import type { RecordValidator } from './file-source-options.ts';

interface OpenSplit {
  readonly id: string;
  readonly lines: ChunkedLineReader;
  readonly parser: LineParser;
}

/**
 * Reads the file splits of one subtask. Every split is read in the background with a bounded
 * read-ahead; `pollNext` serves one split at a time until its buffered lines run out or the poll
 * is full, and the next poll starts at the next split, so splits interleave by batches while
 * each split stays in line order. Tracks the byte offset of every split's next unread line for
 * checkpoints (`snapshotSplitState`) and resumes from `FileSplit.offset`.
 */
export class FileSourceReader implements SourceReader<Record<string, unknown>> {
  private readonly active: OpenSplit[] = [];
  private readonly finished: SplitPosition[] = [];
  private cursor = 0;
  private opened = false;
  private wake: (() => void) | undefined;
  private waiting: Promise<void> | undefined;
  private readonly notify = (): void => {
    const wake = this.wake;
    if (wake === undefined) return;
    this.wake = undefined;
    this.waiting = undefined;
    wake();
  };

  private readonly validating: ValidatingOutput | undefined;

  constructor(
    private readonly readOptions: ChunkedReadOptions,
    validate?: RecordValidator,
  ) {
    this.validating = validate ? new ValidatingOutput(validate) : undefined;
  }

  addSplits(splits: readonly FileSplit[]): void {
    for (const split of splits) {
      const offset = split.offset ?? 0;
      const csv = split.format === 'csv';
      const lines = new ChunkedLineReader(split.path, offset, csv, this.readOptions, this.notify);
      this.active.push({ id: split.id, lines, parser: csv ? new CsvLineParser() : new JsonlLineParser() });
      if (this.opened) lines.start();
    }
    this.notify();
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
    let emitted = 0;
    let idle = 0;
    let announced: OpenSplit | undefined;
    while (emitted < maxRecords && active.length > 0) {
      if (this.cursor >= active.length) this.cursor = 0;
      const split = active[this.cursor] as OpenSplit;
      const line = split.lines.nextLine();
      if (line === null) {
        if (split.lines.ended) {
          active.splice(this.cursor, 1);
          this.finished.push({ splitId: split.id, offset: split.lines.offset });
          target.splitEnded(split.id);
          split.lines.close().catch(ignoreCloseError);
        } else {
          this.cursor++;
          if (++idle >= active.length) break;
        }
        continue;
      }
      idle = 0;
      if (isBlankLine(line)) continue;
      if (split !== announced) {
        target.setSplit(split.id);
        announced = split;
      }
      if (validating) validating.line = line;
      split.parser.parse(line, output);
      emitted++;
    }
    if (active.length === 0) return 'end';
    if (emitted < maxRecords) return 'nothing';
    this.cursor++;
    return 'more';
  }

  available(): Promise<void> {
    if (this.active.length === 0 || this.active.some((split) => split.lines.hasNews)) return Promise.resolve();
    this.waiting ??= new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    return this.waiting;
  }

  /** The position of every split this reader was given, sorted by split id: what a checkpoint stores. */
  snapshotSplitState(): SplitPosition[] {
    const positions = [...this.finished];
    for (const split of this.active) positions.push({ splitId: split.id, offset: split.lines.offset });
    return positions.sort(bySplitId);
  }

  async close(): Promise<void> {
    const splits = this.active.splice(0);
    await Promise.all(splits.map((split) => split.lines.close()));
    this.notify();
  }
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
