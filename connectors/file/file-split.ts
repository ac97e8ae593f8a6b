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
   * start of a line (what `FileSourceReader.snapshotSplitState` reports). Absent means 0.
   */
  readonly offset?: number;
}
