/**
 * The sink of a `print:` output: JSON lines on standard output, like Flink's `print()`.
 */
import { once } from 'node:events';
import type { Sink, SinkContext, SinkWriter } from '../../common/connector/sink.ts';

/** Options of a print sink. */
export interface PrintSinkOptions {
  /** Shown before the subtask number, as in Flink's `print(identifier)`: `identifier:2> {...}`. */
  readonly identifier?: string;
  /** Where lines go; default `process.stdout`. */
  readonly stream?: NodeJS.WritableStream;
}

/**
 * Prints each record as a JSON line. Like Flink, lines are prefixed with `<n>> ` where n is the
 * 1-based subtask number when the parallelism is above 1, and with `identifier> ` or
 * `identifier:<n>> ` when an identifier is given.
 */
export class PrintSink implements Sink<unknown> {
  readonly kind = 'print';

  constructor(private readonly options: PrintSinkOptions = {}) {}

  createWriter(context: SinkContext): PrintSinkWriter {
    return new PrintSinkWriter(this.options.stream ?? process.stdout, printPrefix(this.options.identifier, context));
  }
}

/** Buffers lines and writes them in `flush`, waiting for the stream to drain when it is full. */
export class PrintSinkWriter implements SinkWriter<unknown> {
  private buffer = '';

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly prefix: string,
  ) {}

  async open(): Promise<void> {}

  write(record: unknown): void {
    this.buffer += `${this.prefix}${JSON.stringify(record) ?? 'null'}\n`;
  }

  async flush(): Promise<void> {
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async finish(): Promise<void> {
    await this.flush();
  }

  async close(): Promise<void> {
    this.buffer = '';
  }
}

function printPrefix(identifier: string | undefined, context: SinkContext): string {
  const subtask = context.parallelism > 1 ? String(context.subtaskIndex + 1) : '';
  if (identifier !== undefined && identifier !== '') return subtask === '' ? `${identifier}> ` : `${identifier}:${subtask}> `;
  return subtask === '' ? '' : `${subtask}> `;
}
