/**
 * The source of a `file:` input: JSONL or CSV files, one split per file.
 */
import type { Source, SourceReaderContext } from '../../common/connector/source.ts';
import type { ChunkedReadOptions } from './chunked-line-reader.ts';
import { formatOfFile } from './file-format.ts';
import type { FileSplit } from './file-split.ts';
import { chunkedReadOptions, maxMalformedBytesOf, maxRecordsPerSecondOf, type FileSourceOptions } from './file-source-options.ts';
import { FileSourceReader } from './file-source-reader.ts';
import { listInputFiles } from './list-input-files.ts';

/**
 * Reads a file, the files directly inside a directory, or the files matching a glob (see
 * `listInputFiles`). Each file is one split; splits are sorted by path. Bounded. With
 * `maxRecordsPerSecond`, every reader paces its output to that rate.
 */
export class FileSource implements Source<Record<string, unknown>> {
  readonly kind = 'file';
  readonly bounded = true;
  private readonly readOptions: ChunkedReadOptions;
  /** Lines per second each reader (source subtask) may emit, or undefined when not paced. */
  readonly maxRecordsPerSecond: number | undefined;
  /** Bytes of malformed reports each reader may emit between two checkpoints. */
  readonly maxMalformedBytes: number;

  /**
   * @param pattern a file, directory or glob path, relative to the working directory or absolute
   * @param options how the files are read; throws on an invalid size, rate or limit
   */
  constructor(
    readonly pattern: string,
    private readonly options: FileSourceOptions = {},
  ) {
    this.readOptions = chunkedReadOptions(options);
    this.maxRecordsPerSecond = maxRecordsPerSecondOf(options);
    this.maxMalformedBytes = maxMalformedBytesOf(options);
  }

  async enumerateSplits(): Promise<FileSplit[]> {
    try {
      const files = await listInputFiles(this.pattern);
      return files.map((path) => ({ id: path, path, format: formatOfFile(path, this.options.format) }));
    } catch (error) {
      const what = this.options.inputName === undefined ? 'file source' : `input "${this.options.inputName}"`;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${what} (file:${this.pattern}): ${reason}`, { cause: error });
    }
  }

  createReader(_context: SourceReaderContext): FileSourceReader {
    return new FileSourceReader(this.readOptions, this.options.validate, this.maxRecordsPerSecond, this.maxMalformedBytes);
  }
}
