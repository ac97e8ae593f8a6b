/**
 * The keyed-state file (`.kst`): one operator subtask's keyed state, or the changes to it since
 * an earlier file, as written by a snapshot and read by a restore. Binary, written and read as a
 * stream (a file is never held in memory whole):
 *
 * ```
 * header   magic "SLKS" (4 bytes), version u8 = 1, kind u8 (0 full, 1 delta),
 *          checkpoint id varint, key-group start u16 BE, key-group end u16 BE,
 *          operator id (varint byte length + UTF-8),
 *          state count varint, then per state: state id u16 BE, name (varint length + UTF-8)
 * entries  key (varint byte length >= 4 + the state key exactly as in the writer's database),
 *          value (varint byte length + 1, then the encoded state value; 0 = tombstone, deltas only)
 * end      varint 0 (an empty key), entry count varint
 * footer   CRC-32 (u32 BE) of every byte before it
 * ```
 *
 * Varints are unsigned LEB128 (common/varint.ts). State keys start with `[key group][state id]` (see
 * state-key-layout.ts), and the id is the writer database's; the header's table maps it to the
 * state's name, so that a restore into another database (another TaskManager, other ids) can
 * remap by name. A full file lists its entries in key order; a delta lists puts and deletes, each
 * key once, in no particular order, and is applied on top of the files before it.
 */
import { crc32 } from 'node:zlib';
import { open, type FileHandle } from 'node:fs/promises';
import type { AtomicFile } from '../../../common/checkpoint/checkpoint-storage.ts';
import type { KeyedStateFileKind } from '../../../common/checkpoint/checkpoint-types.ts';
import type { KeyGroupRange } from '../../../common/key-groups.ts';
import { MAX_VARINT_BYTES, readVarint, writeVarint, type ReadCursor } from '../../../common/varint.ts';

/** The header of a keyed-state file. */
export interface KeyedStateFileHeader {
  readonly kind: KeyedStateFileKind;
  readonly checkpointId: number;
  readonly operatorId: string;
  readonly keyGroupRange: KeyGroupRange;
  /** The writer database's state id → state name, for the operator's states. */
  readonly states: ReadonlyMap<number, string>;
}

/** One entry: a put, or a delete (`value` undefined) in a delta. */
export interface KeyedStateFileEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
}

const MAGIC = Buffer.from('SLKS', 'latin1');
const VERSION = 1;
/** Buffered bytes that make the writer hand a chunk to the file. */
const WRITE_CHUNK = 1 << 20;
/** Bytes read from the file at a time. */
const READ_CHUNK = 1 << 20;
/** Smallest state key: key group and state id. */
const MIN_KEY_BYTES = 4;

/** Writes one state key in place: the bytes it may need, and the write (returning where it ended). */
export interface KeyWriter {
  readonly keyBound: number;
  writeKey(buf: Buffer, offset: number): number;
}

/**
 * Bytes in the file's encoding, in one buffer that grows: the parts a writer has not handed to
 * the file yet, or the entries a snapshot's change set keeps until its delta is written.
 */
export class EntryBuffer {
  private buf: Buffer;
  private used = 0;

  constructor(initialBytes = 4096) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.used;
  }

  /** The bytes held, as a view that is valid until the next append or `clear`. */
  get bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  /** Appends an entry whose key `writer` writes in place (`value` undefined: a tombstone). */
  addEntryWith(writer: KeyWriter, value: Uint8Array | undefined): void {
    const bound = writer.keyBound;
    this.reserve(2 * MAX_VARINT_BYTES + bound + (value?.length ?? 0));
    const start = this.used;
    // Keys are short: written after a one-byte length, moved on in the rare case they are not.
    const end = writer.writeKey(this.buf, start + 1);
    const length = end - start - 1;
    if (length < MIN_KEY_BYTES) throw new Error('a state key has at least 4 bytes');
    if (length < 0x80) {
      this.buf[start] = length;
      this.used = end;
    } else {
      const key = Buffer.from(this.buf.subarray(start + 1, end));
      this.used = start;
      this.varint(length);
      this.buf.set(key, this.used);
      this.used += length;
    }
    this.varint(value === undefined ? 0 : value.length + 1);
    if (value !== undefined) {
      this.buf.set(value, this.used);
      this.used += value.length;
    }
  }

  /** Appends an entry (`value` undefined: a tombstone). */
  addEntry(key: Uint8Array, value: Uint8Array | undefined): void {
    if (key.length < MIN_KEY_BYTES) throw new Error('a state key has at least 4 bytes');
    this.reserve(2 * MAX_VARINT_BYTES + key.length + (value?.length ?? 0));
    this.varint(key.length);
    this.buf.set(key, this.used);
    this.used += key.length;
    this.varint(value === undefined ? 0 : value.length + 1);
    if (value !== undefined) {
      this.buf.set(value, this.used);
      this.used += value.length;
    }
  }

  /**
   * Calls `fn` with each entry of `bytes` (entries as `addEntry` writes them): the key, the whole
   * entry (both views of `bytes`), and whether it is a tombstone.
   */
  static forEachEntry(bytes: Buffer, fn: (key: Buffer, entry: Buffer, tombstone: boolean) => void): void {
    const cursor: ReadCursor = { at: 0 };
    while (cursor.at < bytes.length) {
      const at = cursor.at;
      const keyLength = readVarint(bytes, cursor);
      if (keyLength < 0) throw new Error('a malformed entry');
      const keyStart = cursor.at;
      const keyEnd = keyStart + keyLength;
      cursor.at = keyEnd;
      const valueLength = readVarint(bytes, cursor);
      if (valueLength < 0) throw new Error('a malformed entry');
      const end = cursor.at + Math.max(0, valueLength - 1);
      fn(bytes.subarray(keyStart, keyEnd), bytes.subarray(at, end), valueLength === 0);
      cursor.at = end;
    }
  }

  /** Appends raw bytes. */
  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Appends an unsigned 16-bit big-endian integer. */
  u16(value: number): void {
    this.reserve(2);
    this.buf.writeUInt16BE(value, this.used);
    this.used += 2;
  }

  /** Appends a string as a varint byte length and UTF-8. */
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.varint(bytes.length);
    this.append(bytes);
  }

  /** Appends an unsigned LEB128 varint. */
  varint(value: number): void {
    this.reserve(MAX_VARINT_BYTES);
    this.used = writeVarint(this.buf, this.used, value);
  }

  /** Forgets the bytes held, keeping the buffer. */
  clear(): void {
    this.used = 0;
  }

  private reserve(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + n));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}

/** Appends the parts of a keyed-state file to an `AtomicFile`, in chunks, keeping the CRC. */
export class KeyedStateFileWriter {
  /** Bytes not yet handed to the file. */
  private readonly out = new EntryBuffer(WRITE_CHUNK + 1024);
  private crc = 0;
  private entries = 0;
  private readonly kind: KeyedStateFileKind;

  constructor(
    private readonly file: AtomicFile,
    header: KeyedStateFileHeader,
  ) {
    this.kind = header.kind;
    const out = this.out;
    out.append(MAGIC);
    out.append(Uint8Array.of(VERSION, header.kind === 'FULL' ? 0 : 1));
    out.varint(header.checkpointId);
    out.u16(header.keyGroupRange.start);
    out.u16(header.keyGroupRange.end);
    out.string(header.operatorId);
    out.varint(header.states.size);
    for (const [id, name] of header.states) {
      out.u16(id);
      out.string(name);
    }
  }

  /** Adds an entry (`value` undefined: a tombstone, deltas only). Await `drain` now and then. */
  add(key: Uint8Array, value: Uint8Array | undefined): void {
    if (value === undefined && this.kind === 'FULL') throw new Error('a full keyed-state file holds no tombstones');
    this.out.addEntry(key, value);
    this.entries++;
  }

  /**
   * Adds `count` entries encoded by `EntryBuffer.addEntry` (with tombstones only in a delta, and
   * each key once in the file).
   */
  async addEncoded(bytes: Buffer, count: number): Promise<void> {
    await this.writeBuffered();
    this.crc = crc32(bytes, this.crc);
    await this.file.write(bytes);
    this.entries += count;
  }

  /** Writes the buffered bytes out once there are enough of them. */
  async drain(): Promise<void> {
    if (this.out.byteLength >= WRITE_CHUNK) await this.writeBuffered();
  }

  /** Writes the end marker and footer and commits the file; returns its size. */
  async finish(): Promise<number> {
    this.out.varint(0);
    this.out.varint(this.entries);
    await this.writeBuffered();
    const footer = Buffer.alloc(4);
    footer.writeUInt32BE(this.crc >>> 0, 0);
    await this.file.write(footer);
    return this.file.commit();
  }

  private async writeBuffered(): Promise<void> {
    if (this.out.byteLength === 0) return;
    const chunk = this.out.bytes;
    this.crc = crc32(chunk, this.crc);
    await this.file.write(chunk);
    this.out.clear();
  }
}

/**
 * Reads a keyed-state file as a stream: the header on `open`, then entries in batches. The
 * CRC is checked when the end is reached, so a caller that applies entries as it goes must treat
 * a failure as "restore failed" (the next attempt clears the range again).
 */
export class KeyedStateFileReader {
  private buf: Buffer = Buffer.alloc(0);
  private at = 0;
  /** File position of the next read. */
  private position = 0;
  private crc = 0;
  private entries = 0;
  private done = false;
  /** Where varints are read from `buf`. */
  private readonly cursor: ReadCursor = { at: 0 };
  /** The header, read by `open`. */
  header!: KeyedStateFileHeader;

  private constructor(
    private readonly handle: FileHandle,
    /** The file's path, for errors. */
    readonly path: string,
    /** Bytes before the 4-byte footer. */
    private readonly bodyBytes: number,
  ) {}

  /** Opens a file and reads its header; close the reader when done (also on errors). */
  static async open(path: string): Promise<KeyedStateFileReader> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size < MAGIC.length + 4) throw new Error(`keyed-state file ${path} is truncated (${size} bytes)`);
      const reader = new KeyedStateFileReader(handle, path, size - 4);
      await reader.readHeader();
      return reader;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private async readHeader(): Promise<void> {
    await this.ensure(6);
    if (!this.buf.subarray(this.at, this.at + 4).equals(MAGIC)) throw this.corrupt('not a keyed-state file (bad magic)');
    const version = this.buf[this.at + 4];
    if (version !== VERSION) throw this.corrupt(`unsupported version ${String(version)}`);
    const kindByte = this.buf[this.at + 5];
    if (kindByte !== 0 && kindByte !== 1) throw this.corrupt(`unknown kind ${String(kindByte)}`);
    this.at += 6;
    const checkpointId = await this.readVarint();
    await this.ensure(4);
    const keyGroupRange = { start: this.buf.readUInt16BE(this.at), end: this.buf.readUInt16BE(this.at + 2) };
    this.at += 4;
    const operatorId = (await this.readBytes(await this.readVarint())).toString('utf8');
    const count = await this.readVarint();
    const states = new Map<number, string>();
    for (let i = 0; i < count; i++) {
      await this.ensure(2);
      const id = this.buf.readUInt16BE(this.at);
      this.at += 2;
      states.set(id, (await this.readBytes(await this.readVarint())).toString('utf8'));
    }
    this.header = { kind: kindByte === 0 ? 'FULL' : 'DELTA', checkpointId, operatorId, keyGroupRange, states };
  }

  /**
   * The next entries, about `maxBytes` of them (at least one); undefined at the end, after the
   * entry count and CRC were checked. Keys and values are copies the caller owns.
   */
  async next(maxBytes = 1 << 20): Promise<KeyedStateFileEntry[] | undefined> {
    if (this.done) return undefined;
    const batch: KeyedStateFileEntry[] = [];
    let bytes = 0;
    while (bytes < maxBytes) {
      const parsed = this.parseEntry();
      if (typeof parsed === 'number') {
        await this.ensure(parsed);
        continue;
      }
      if (parsed === undefined) {
        await this.finish();
        break;
      }
      batch.push(parsed);
      this.entries++;
      bytes += parsed.key.length + (parsed.value?.length ?? 0);
    }
    return batch.length > 0 ? batch : undefined;
  }

  /**
   * Parses the entry at the read position from the buffer: the entry, undefined at the end
   * marker (consumed), or the number of unread bytes needed to parse it.
   */
  private parseEntry(): KeyedStateFileEntry | undefined | number {
    const buf = this.buf;
    const available = buf.length - this.at;
    const cursor = this.cursor;
    cursor.at = this.at;
    const keyLength = readVarint(buf, cursor);
    if (keyLength < 0) {
      if (available >= MAX_VARINT_BYTES) throw this.corrupt('a varint is too long');
      return available + 1;
    }
    const keyStart = cursor.at;
    if (keyLength === 0) {
      this.at = keyStart;
      return undefined;
    }
    if (keyLength < MIN_KEY_BYTES) throw this.corrupt(`a key of ${keyLength} bytes`);
    const keyEnd = keyStart + keyLength;
    cursor.at = keyEnd;
    const valueLength = keyEnd < buf.length ? readVarint(buf, cursor) : -1;
    if (valueLength < 0) {
      if (buf.length - keyEnd >= MAX_VARINT_BYTES) throw this.corrupt('a varint is too long');
      return Math.max(keyEnd - this.at + 1, available + 1);
    }
    const valueStart = cursor.at;
    const valueEnd = valueStart + Math.max(0, valueLength - 1);
    if (valueEnd > buf.length) return valueEnd - this.at;
    const key = Uint8Array.prototype.slice.call(buf, keyStart, keyEnd);
    let value: Uint8Array | undefined;
    if (valueLength > 0) value = Uint8Array.prototype.slice.call(buf, valueStart, valueEnd);
    else if (this.header.kind === 'FULL') throw this.corrupt('a tombstone in a full file');
    this.at = valueEnd;
    return { key, value };
  }

  private async finish(): Promise<void> {
    const count = await this.readVarint();
    if (count !== this.entries) throw this.corrupt(`it ends after ${this.entries} entries but says ${count}`);
    if (this.position + this.at - this.buf.length !== this.bodyBytes) throw this.corrupt('trailing bytes after the end marker');
    this.crc = crc32(this.buf.subarray(0, this.at), this.crc);
    this.buf = this.buf.subarray(this.at);
    this.at = 0;
    const footer = Buffer.alloc(4);
    await this.handle.read(footer, 0, 4, this.bodyBytes);
    if (footer.readUInt32BE(0) !== this.crc >>> 0) throw this.corrupt('checksum mismatch');
    this.done = true;
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.handle.close();
  }

  private async readVarint(): Promise<number> {
    const left = this.bodyBytes - this.position + this.buf.length - this.at;
    await this.ensure(Math.min(MAX_VARINT_BYTES, left));
    const cursor = this.cursor;
    cursor.at = this.at;
    const value = readVarint(this.buf, cursor);
    if (value < 0) throw this.corrupt(left < MAX_VARINT_BYTES ? 'it is truncated' : 'a varint is too long');
    this.at = cursor.at;
    return value;
  }

  private async readBytes(length: number): Promise<Buffer> {
    await this.ensure(length);
    const bytes = this.buf.subarray(this.at, this.at + length);
    this.at += length;
    return bytes;
  }

  /** Makes `n` unread bytes available in `buf`, reading the file (up to the footer) as needed. */
  private async ensure(n: number): Promise<void> {
    if (this.buf.length - this.at >= n) return;
    // Consumed bytes are checksummed as they leave the buffer.
    this.crc = crc32(this.buf.subarray(0, this.at), this.crc);
    const rest = this.buf.subarray(this.at);
    this.at = 0;
    const left = this.bodyBytes - this.position;
    if (rest.length + left < n) throw this.corrupt('it is truncated');
    const want = Math.min(left, Math.max(READ_CHUNK, n - rest.length));
    const next = Buffer.allocUnsafe(rest.length + want);
    rest.copy(next, 0);
    let filled = rest.length;
    while (filled < next.length) {
      const { bytesRead } = await this.handle.read(next, filled, next.length - filled, this.position);
      if (bytesRead === 0) throw this.corrupt('it is truncated');
      filled += bytesRead;
      this.position += bytesRead;
    }
    this.buf = next;
  }

  private corrupt(problem: string): Error {
    return new Error(`keyed-state file ${this.path} is corrupt: ${problem}`);
  }
}
