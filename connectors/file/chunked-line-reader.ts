/**
 * Reads one file as lines: chunks are read in the background with a bounded read-ahead and cut
 * into lines synchronously, so a source can poll lines without awaiting per line.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { readFirstLine } from './read-first-line.ts';

/** How a file is read: chunk size and how many chunks may wait in memory. */
export interface ChunkedReadOptions {
  /** Bytes per read. */
  readonly chunkSize: number;
  /** Read-ahead bound: at most this many unconsumed chunks are buffered. */
  readonly maxBufferedChunks: number;
}

/**
 * Lines of one file from a starting byte offset, in order. Lines are cut on `\n` with an optional
 * `\r` before it removed, the last line needs no terminator, and a UTF-8 byte order mark at the
 * start of the file is dropped. Lines are cut on bytes and decoded whole, so a multi-byte
 * character split across chunks is decoded correctly.
 *
 * A partial line is kept until its end arrives, so one line larger than the read-ahead is still
 * held whole in memory; everything else is bounded by `maxBufferedChunks`.
 */
export class ChunkedLineReader {
  private readonly chunks: Buffer[] = [];
  private current: Buffer | undefined;
  private pos = 0;
  /** File offset of `current[0]`, or of the next chunk when there is no current one. */
  private currentStart: number;
  private readonly pending: Buffer[] = [];
  private pendingStart = 0;
  private nextOffset: number;
  private readPos: number;
  private handle: FileHandle | undefined;
  private eof = false;
  private done = false;
  private failure: unknown;
  private closed = false;
  private reading = false;
  private loop: Promise<void> | undefined;
  /** The first line to replay before reading from a mid-file offset: undefined until read. */
  private firstLine: string | null | undefined;
  private replayFirstLine: boolean;

  /**
   * @param path the file to read
   * @param startOffset byte offset of the first line to read; must be a line start
   * @param replayFirstLine whether to deliver the file's first non-blank line first when starting
   *   past it (a CSV header); the replayed line does not move `offset`
   * @param onProgress called whenever data, end of file or an error arrives in the background
   */
  constructor(
    private readonly path: string,
    startOffset: number,
    replayFirstLine: boolean,
    private readonly options: ChunkedReadOptions,
    private readonly onProgress: () => void,
  ) {
    this.currentStart = startOffset;
    this.nextOffset = startOffset;
    this.readPos = startOffset;
    this.replayFirstLine = replayFirstLine && startOffset > 0;
  }

  /** Byte offset of the first line not yet returned by `nextLine`: where a restart resumes. */
  get offset(): number {
    return this.nextOffset;
  }

  /** Whether every line has been returned. */
  get ended(): boolean {
    return this.done;
  }

  /** Whether background reading has delivered something `nextLine` has not looked at yet. */
  get hasNews(): boolean {
    return this.chunks.length > 0 || this.failure !== undefined || (this.eof && !this.done) || this.firstLine !== undefined;
  }

  /** Starts background reading. */
  start(): void {
    this.pump();
  }

  /**
   * Returns the next line, or `null` when no complete line is buffered (then `ended` tells whether
   * the file is done, otherwise wait for `onProgress`). Throws a read error that happened in the
   * background.
   */
  nextLine(): string | null {
    if (this.failure !== undefined) throw this.failure;
    if (this.replayFirstLine) {
      const first = this.firstLine;
      if (first === undefined) {
        this.pump();
        return null;
      }
      this.replayFirstLine = false;
      this.firstLine = undefined;
      if (first !== null) return first;
    }
    for (;;) {
      const cur = this.current;
      if (cur === undefined) {
        const next = this.chunks.shift();
        if (next === undefined) return this.atEndOfBuffer();
        this.current = next;
        this.pos = 0;
        this.pump();
        continue;
      }
      const nl = cur.indexOf(10, this.pos);
      if (nl < 0) {
        if (this.pos < cur.length) {
          if (this.pending.length === 0) this.pendingStart = this.currentStart + this.pos;
          this.pending.push(cur.subarray(this.pos));
        }
        this.currentStart += cur.length;
        this.current = undefined;
        continue;
      }
      let line: string;
      let lineStart: number;
      if (this.pending.length === 0) {
        lineStart = this.currentStart + this.pos;
        line = decodeLine(cur, this.pos, nl);
      } else {
        lineStart = this.pendingStart;
        this.pending.push(cur.subarray(this.pos, nl));
        const joined = Buffer.concat(this.pending);
        this.pending.length = 0;
        line = decodeLine(joined, 0, joined.length);
      }
      this.pos = nl + 1;
      this.nextOffset = this.currentStart + this.pos;
      return lineStart === 0 ? withoutByteOrderMark(line) : line;
    }
  }

  /** Stops background reading and closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.loop;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private atEndOfBuffer(): string | null {
    if (!this.eof) {
      this.pump();
      return null;
    }
    if (this.pending.length > 0) {
      const lineStart = this.pendingStart;
      const joined = Buffer.concat(this.pending);
      this.pending.length = 0;
      this.nextOffset = this.readPos;
      const line = decodeLine(joined, 0, joined.length);
      return lineStart === 0 ? withoutByteOrderMark(line) : line;
    }
    this.nextOffset = this.readPos;
    this.done = true;
    return null;
  }

  private pump(): void {
    if (this.reading || this.eof || this.closed || this.failure !== undefined) return;
    if (this.chunks.length >= this.options.maxBufferedChunks) return;
    this.reading = true;
    this.loop = this.readAhead();
  }

  private async readAhead(): Promise<void> {
    const { chunkSize, maxBufferedChunks } = this.options;
    try {
      this.handle ??= await open(this.path, 'r');
      if (this.replayFirstLine && this.firstLine === undefined && !this.closed) {
        this.firstLine = await readFirstLine(this.handle, this.readPos, chunkSize);
        this.onProgress();
      }
      while (!this.closed && this.chunks.length < maxBufferedChunks) {
        const buffer = Buffer.allocUnsafe(chunkSize);
        const { bytesRead } = await this.handle.read(buffer, 0, chunkSize, this.readPos);
        if (this.closed) return;
        if (bytesRead === 0) {
          this.eof = true;
          this.onProgress();
          break;
        }
        this.readPos += bytesRead;
        this.chunks.push(bytesRead === chunkSize ? buffer : buffer.subarray(0, bytesRead));
        this.onProgress();
      }
    } catch (error) {
      if (!this.closed) {
        const reason = error instanceof Error ? error.message : String(error);
        this.failure = new Error(`reading "${this.path}" failed: ${reason}`, { cause: error });
        this.onProgress();
      }
      return;
    } finally {
      // Cleared in the same tick the loop stops, so a consumer that frees room right after
      // always restarts reading.
      this.reading = false;
    }
    if (this.eof && this.handle !== undefined) {
      const handle = this.handle;
      this.handle = undefined;
      await handle.close().catch(() => undefined);
    }
  }
}

function decodeLine(data: Buffer, start: number, end: number): string {
  const stop = end > start && data[end - 1] === 13 ? end - 1 : end;
  return data.toString('utf8', start, stop);
}

function withoutByteOrderMark(line: string): string {
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}
