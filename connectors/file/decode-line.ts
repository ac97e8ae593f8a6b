/**
 * Decoding the bytes of one line as UTF-8, refusing what is not UTF-8 instead of replacing it.
 */
import { isUtf8 } from 'node:buffer';

/** A line that cannot become a record: what could be read of it and why it was refused. */
export class RejectedLine {
  /**
   * @param raw the line as far as it can be shown: decoded with U+FFFD for invalid bytes, or a
   *   prefix of it
   * @param error why the line was refused, naming its byte offset in the file
   */
  constructor(
    readonly raw: string,
    readonly error: string,
  ) {}
}

/**
 * Decodes `data[start, end)`, one line without its `\n`, dropping a `\r` before the end. Invalid
 * UTF-8 gives a `RejectedLine` whose error names the file offset of the first invalid byte.
 *
 * Cheap on the common path: the line is decoded once, non-fatally, and only a line whose text
 * holds U+FFFD is validated byte by byte, since valid UTF-8 decodes to U+FFFD only where the
 * bytes spell it (EF BF BD).
 *
 * @param lineOffset the byte offset of `data[start]` in the file
 */
export function decodeLine(data: Buffer, start: number, end: number, lineOffset: number): string | RejectedLine {
  const stop = end > start && data[end - 1] === 13 ? end - 1 : end;
  const line = data.toString('utf8', start, stop);
  if (!line.includes('\uFFFD') || isUtf8(data.subarray(start, stop))) return line;
  const at = firstInvalidUtf8(data, start, stop) - start;
  return new RejectedLine(line, `invalid UTF-8 at byte ${lineOffset + at} (byte ${at} of the line at byte ${lineOffset}); the file must be UTF-8`);
}

/** How many bytes of a line too long to read its `RejectedLine` shows at most (never more than the limit). */
const RAW_PREFIX_BYTES = 1024;

/**
 * The `RejectedLine` of a line longer than `maxLineBytes`, showing its first `RAW_PREFIX_BYTES`
 * or `maxLineBytes` bytes, whichever is fewer.
 *
 * @param start the line's first bytes, at least `maxLineBytes` of them
 * @param size the line's length in bytes, without its `\n`
 * @param lineOffset the byte offset of the line in the file
 */
export function oversizedLine(start: Buffer, size: number, lineOffset: number, maxLineBytes: number): RejectedLine {
  const raw = decodePrefix(start, Math.min(RAW_PREFIX_BYTES, maxLineBytes));
  return new RejectedLine(
    raw,
    `line too long: ${size} bytes at byte ${lineOffset}, the limit is ${maxLineBytes} bytes (maxLineBytes); it was skipped, raw holds its first ${Buffer.byteLength(raw)} bytes`,
  );
}

/**
 * Decodes at most `maxBytes` of `data` from its start, cut back to a character boundary, for
 * showing the beginning of a line too long to keep.
 */
function decodePrefix(data: Buffer, maxBytes: number): string {
  let end = Math.min(maxBytes, data.length);
  if (end < data.length) {
    // Back off over continuation bytes (10xxxxxx) to the start of the character cut in two.
    let lead = end;
    while (lead > 0 && lead > end - 4 && ((data[lead] as number) & 0xc0) === 0x80) lead--;
    end = lead;
  }
  return data.toString('utf8', 0, end);
}

/** The index of the first byte in `data[start, end)` that is not part of a valid UTF-8 sequence. */
function firstInvalidUtf8(data: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = data[i] as number;
    let length: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) length = 1;
    else if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) min = 0xa0; // no overlong forms
      if (b === 0xed) max = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f; // nothing past U+10FFFF
    } else return i;
    if (i + length > end) return i;
    for (let k = 1; k < length; k++) {
      const c = data[i + k] as number;
      if (c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i;
    }
    i += length;
  }
  return end;
}
