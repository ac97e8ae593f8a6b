/**
 * The split of a file source: one whole file.
 */
import type { SourceSplit } from '../../common/connector/source.ts';
import type { FileFormat } from './file-format.ts';

/** One file of a file input. JSON-serializable, so it can travel in deployments and checkpoints. */
export interface FileSplit extends SourceSplit {
  /** The absolute path of the file; also the split id. */
  readonly path: string;
  readonly format: FileFormat;
  /**
   * Byte position of the first line still to read, to resume from a checkpoint. It must be the
   * start of a line (what `FileSourceReader.snapshotState` reports). Absent means 0.
   */
  readonly offset?: number;
  /**
   * The CSV header line, once read, so that a split resumed past it parses rows with it (and
   * reports an invalid header only once). When absent and `offset` is past the start, the
   * header is read again from the file.
   */
  readonly header?: string;
  /**
   * Why `header` was refused before it could be parsed (it is not UTF-8 or too long), so that a
   * resumed split refuses its rows again without reporting the header twice.
   */
  readonly headerError?: string;
  /** Every line was read: resuming reads nothing and only reports the split as ended. */
  readonly finished?: boolean;
}
