/**
 * The sink of a `file:` output: a directory of JSON-lines part files.
 */
import type { Sink, SinkContext } from '../../common/connector/sink.ts';
import { FileSinkWriter } from './file-sink-writer.ts';

/** Default size at which a part file is closed and a new one started. */
export const DEFAULT_ROLL_SIZE_BYTES = 64 * 1024 * 1024;

/** Options of a file sink. */
export interface FileSinkOptions {
  /** A part file is rolled once it holds at least this many bytes; default 64 MiB. */
  readonly rollSizeBytes?: number;
}

/**
 * Writes one JSON object per line into part files of a directory (created if missing). Files
 * are hidden (leading `.`) until the subtask finishes or, with checkpointing, until the
 * checkpoint that covers them completes; see `FileSinkWriter`.
 */
export class FileSink implements Sink<unknown> {
  readonly kind = 'file';
  private readonly rollSizeBytes: number;

  constructor(
    readonly directory: string,
    options: FileSinkOptions = {},
  ) {
    this.rollSizeBytes = options.rollSizeBytes ?? DEFAULT_ROLL_SIZE_BYTES;
    if (!(this.rollSizeBytes > 0)) throw new Error(`file sink: rollSizeBytes must be positive, got ${this.rollSizeBytes}`);
  }

  createWriter(context: SinkContext): FileSinkWriter {
    return new FileSinkWriter(this.directory, this.rollSizeBytes, context);
  }
}
