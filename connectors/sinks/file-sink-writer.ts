/**
 * The writer of one file-sink subtask.
 */
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { SinkContext, SinkWriter } from '../../common/connector/sink.ts';
import { committedName, inProgressName, partFileId } from './part-file-names.ts';

/**
 * Buffers each record as a JSON line and appends the buffer to the current in-progress part
 * file in `flush`. A part that reaches the roll size is closed and a new one starts with the
 * next flush. `finish` renames every part to its committed name; `close` without `finish`
 * leaves the in-progress files, which are not part of the output.
 */
export class FileSinkWriter implements SinkWriter<unknown> {
  private readonly lines: string[] = [];
  private handle: FileHandle | undefined;
  private currentSize = 0;
  private nextPart = 0;
  private readonly closedParts: number[] = [];
  private currentPart = -1;

  constructor(
    private readonly directory: string,
    private readonly rollSizeBytes: number,
    private readonly context: SinkContext,
  ) {}

  async open(): Promise<void> {
    try {
      await mkdir(this.directory, { recursive: true });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`file sink: cannot create output directory "${this.directory}": ${reason}`, { cause: error });
    }
  }

  write(record: unknown): void {
    this.lines.push(JSON.stringify(record) ?? 'null');
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const data = Buffer.from(`${this.lines.join('\n')}\n`, 'utf8');
    this.lines.length = 0;
    const handle = this.handle ?? (await this.startPart());
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await handle.write(data, written, data.length - written);
      written += bytesWritten;
    }
    this.currentSize += data.length;
    if (this.currentSize >= this.rollSizeBytes) await this.endPart();
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.endPart();
    for (const part of this.closedParts.splice(0)) {
      const id = partFileId(this.context, part);
      await rename(join(this.directory, inProgressName(id)), join(this.directory, committedName(id)));
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.lines.length = 0;
    await handle?.close();
  }

  private async startPart(): Promise<FileHandle> {
    const part = this.nextPart++;
    const path = join(this.directory, inProgressName(partFileId(this.context, part)));
    const handle = await open(path, 'w');
    this.handle = handle;
    this.currentPart = part;
    this.currentSize = 0;
    return handle;
  }

  /** Makes the current part durable and closes it; it waits for `finish` to be committed. */
  private async endPart(): Promise<void> {
    const handle = this.handle;
    if (handle === undefined) return;
    this.handle = undefined;
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.closedParts.push(this.currentPart);
  }
}
