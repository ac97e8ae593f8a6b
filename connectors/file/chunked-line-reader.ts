/**
 * Reads one file as lines: chunks are read in the background with a bounded read-ahead and cut
 * into lines synchronously, so a source can poll lines without awaiting per line.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { decodeLine, oversizedLine, type RejectedLine } from './decode-line.ts';
import { readFirstLine } from './read-first-line.ts';

/** How a file is read: chunk size, how many chunks may wait in memory, and the longest line. */
export interface ChunkedReadOptions {
  /** Bytes per read. */
  readonly chunkSize: number;
  /** Read-ahead bound: at most this many unconsumed chunks are buffered. */
  readonly maxBufferedChunks: number;
  /** Lines longer than this many bytes (their `\n` excluded) are refused and skipped. */
  readonly maxLineBytes: number;
}

/** What `nextLine` returns: a line, a refused line, or null when no complete line is buffered. */
export type NextLine = string | RejectedLine | null;

/**
 * Lines of one file from a starting byte offset, in order. Lines are cut on `\n` with an optional
 * `\r` before it removed, the last line needs no terminator, and a UTF-8 byte order mark at the
 * start of the file is dropped. Lines are cut on bytes and decoded whole, so a multi-byte
 * character split across chunks is decoded correctly.
 *
 * A line that is not valid UTF-8, or longer than `maxLineBytes`, comes back as a `RejectedLine`
 * (see `decodeLine`). A partial line is kept until its end arrives, up to `maxLineBytes`; past
 * that only its first bytes are kept and the rest is skipped chunk by chunk up to the next `\n`,
 * so memory stays bounded by `maxLineBytes` plus `maxBufferedChunks` chunks.
 */
export class ChunkedLineReader {
  private readonly chunks: Buffer[] = [];
  private current: Buffer | undefined;
  private pos = 0;
  /** File offset of `current[0]`, or of the next chunk when there is no current one. */
  private currentStart: number;
  private readonly pending: Buffer[] = [];
  private pendingStart = 0;
  private pendingBytes = 0;
  /** The first bytes of the oversized line being skipped, or undefined when not skipping. */
  private skipPrefix: Buffer | undefined;
  /** Bytes of the oversized line seen so far. */
  private skipBytes = 0;
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
  private firstLine: string | RejectedLine | null | undefined;
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
   * Returns the next line (or the next refused line), or `null` when no complete line is buffered
   * (then `ended` tells whether the file is done, otherwise wait for `onProgress`). Throws a read
   * error that happened in the background.
   */
  nextLine(): NextLine {
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
        if (this.pos < cur.length) this.keepPartial(cur.subarray(this.pos), this.currentStart + this.pos);
        this.currentStart += cur.length;
        this.current = undefined;
        continue;
      }
      const line = this.completeLine(cur, nl);
      this.pos = nl + 1;
      this.nextOffset = this.currentStart + this.pos;
      return line;
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

  /** Keeps the start or the middle of a line whose end has not arrived yet. */
  private keepPartial(part: Buffer, partStart: number): void {
    if (this.skipPrefix !== undefined) {
      this.skipBytes += part.length;
      return;
    }
    if (this.pending.length === 0) this.pendingStart = partStart;
    this.pending.push(part);
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.options.maxLineBytes) {
      this.skipPrefix = Buffer.concat(this.pending, Math.min(this.pendingBytes, this.options.maxLineBytes));
      this.skipBytes = this.pendingBytes;
      this.clearPending();
    }
  }

  /** The line that ends at `cur[nl]`, with whatever was kept of it before `cur[pos]`. */
  private completeLine(cur: Buffer, nl: number): string | RejectedLine {
    const max = this.options.maxLineBytes;
    if (this.skipPrefix !== undefined) {
      const prefix = this.skipPrefix;
      this.skipPrefix = undefined;
      return oversizedLine(prefix, this.skipBytes + nl - this.pos, this.pendingStart, max);
    }
    if (this.pending.length === 0) {
      const lineStart = this.currentStart + this.pos;
      if (nl - this.pos > max) return oversizedLine(cur.subarray(this.pos, nl), nl - this.pos, lineStart, max);
      return atFileStart(decodeLine(cur, this.pos, nl, lineStart), lineStart);
    }
    const lineStart = this.pendingStart;
    const size = this.pendingBytes + nl - this.pos;
    this.pending.push(cur.subarray(this.pos, nl));
    const joined = Buffer.concat(this.pending, Math.min(size, max + 1));
    this.clearPending();
    if (size > max) return oversizedLine(joined, size, lineStart, max);
    return atFileStart(decodeLine(joined, 0, joined.length, lineStart), lineStart);
  }

  private clearPending(): void {
    this.pending.length = 0;
    this.pendingBytes = 0;
  }

  private atEndOfBuffer(): NextLine {
    if (!this.eof) {
      this.pump();
      return null;
    }
    this.nextOffset = this.readPos;
    if (this.skipPrefix !== undefined) {
      const prefix = this.skipPrefix;
      this.skipPrefix = undefined;
      return oversizedLine(prefix, this.skipBytes, this.pendingStart, this.options.maxLineBytes);
    }
    if (this.pending.length > 0) {
      const lineStart = this.pendingStart;
      const joined = Buffer.concat(this.pending);
      this.clearPending();
      return atFileStart(decodeLine(joined, 0, joined.length, lineStart), lineStart);
    }
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
        this.firstLine = await readFirstLine(this.handle, this.readPos, chunkSize, this.options.maxLineBytes);
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

/** Drops a UTF-8 byte order mark from the first line of the file. */
function atFileStart(line: string | RejectedLine, lineStart: number): string | RejectedLine {
  return lineStart === 0 && typeof line === 'string' && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}
