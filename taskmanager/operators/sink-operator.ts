/** Runs a sink writer as the last operator of a chain. */
import type { SinkWriter } from '../../common/connector/sink.ts';
import type { StreamOperator } from './stream-operator.ts';

/** Hands records to a sink writer and awaits its flushes at batch boundaries. */
export class SinkOperator implements StreamOperator {
  /** Records written, for metrics. */
  written = 0;

  constructor(private readonly writer: SinkWriter<unknown>) {}

  open(): Promise<void> {
    return this.writer.open();
  }

  processElement(record: unknown): void {
    this.written++;
    this.writer.write(record);
  }

  processWatermark(): void {}

  flush(): Promise<void> {
    return this.writer.flush();
  }

  async finish(): Promise<void> {
    await this.writer.flush();
    await this.writer.finish();
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
