/** Runs a source reader as the head of a chain; the task polls it in its main loop. */
import type { PollStatus, SourceOutput, SourceReader, SourceSplit } from '../../common/connector/source.ts';
import { MALFORMED } from '../../client/api/functions.ts';
import type { Output, StreamOperator } from './stream-operator.ts';

/** Reads splits and emits their records into the chain. */
export class SourceOperator implements StreamOperator, SourceOutput<unknown> {
  /** Records read, for metrics. */
  read = 0;
  /** Malformed lines reported, for metrics. */
  malformedCount = 0;

  constructor(
    private readonly reader: SourceReader<unknown>,
    private readonly splits: readonly SourceSplit[],
    private readonly output: Output,
    private readonly inputName: string,
  ) {}

  async open(): Promise<void> {
    this.reader.addSplits(this.splits);
    await this.reader.open();
  }

  /** Emits up to `maxRecords` records. */
  poll(maxRecords: number): PollStatus {
    return this.reader.pollNext(this, maxRecords);
  }

  /** Resolves when the reader can make progress. */
  available(): Promise<void> {
    return this.reader.available();
  }

  collect(record: unknown): void {
    this.read++;
    this.output.collect(record);
  }

  malformed(raw: string, error: string): void {
    this.malformedCount++;
    this.output.collectSide(MALFORMED.id, { input: this.inputName, raw, error });
  }

  processElement(): void {
    throw new Error('a source has no input');
  }

  async finish(): Promise<void> {}

  close(): Promise<void> {
    return this.reader.close();
  }
}
