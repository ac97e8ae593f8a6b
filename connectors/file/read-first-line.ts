/**
 * Reads the first non-blank line of an open file, for formats whose first line carries meaning
 * (the CSV header) when reading resumes in the middle of the file.
 */
import type { FileHandle } from 'node:fs/promises';
import { decodeLine, oversizedLine, type RejectedLine } from './decode-line.ts';
import { isBlankLine } from './is-blank-line.ts';

/**
 * Returns the first non-blank line that starts before byte `limit`, without its terminator and
 * without a UTF-8 byte order mark, or `null` when there is none (the line at `limit` itself is
 * then still to be read by the caller). A line that is not UTF-8 or longer than `maxLineBytes`
 * is returned as a `RejectedLine`, and no more than `maxLineBytes` of it is held.
 */
export async function readFirstLine(handle: FileHandle, limit: number, chunkSize: number, maxLineBytes: number): Promise<string | RejectedLine | null> {
  let lineStart = 0;
  let carry = Buffer.alloc(0);
  let position = 0;
  while (lineStart < limit) {
    const chunk = Buffer.allocUnsafe(chunkSize);
    const { bytesRead } = await handle.read(chunk, 0, chunkSize, position);
    const eof = bytesRead === 0;
    position += bytesRead;
    let data = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
    let from = 0;
    for (;;) {
      let nl = data.indexOf(10, from);
      if (nl < 0 && !eof) {
        if (data.length - from > maxLineBytes) return oversizedLine(data.subarray(from), data.length - from, lineStart, maxLineBytes);
        break;
      }
      if (nl < 0) nl = data.length;
      if (nl - from > maxLineBytes) return oversizedLine(data.subarray(from, nl), nl - from, lineStart, maxLineBytes);
      const line = withoutByteOrderMark(decodeLine(data, from, nl, lineStart), lineStart === 0);
      if (typeof line !== 'string' || !isBlankLine(line)) return line;
      lineStart += nl + 1 - from;
      from = nl + 1;
      if (lineStart >= limit || from >= data.length) break;
    }
    if (eof) return null;
    data = data.subarray(from);
    carry = Buffer.from(data);
  }
  return null;
}

function withoutByteOrderMark(line: string | RejectedLine, atFileStart: boolean): string | RejectedLine {
  return atFileStart && typeof line === 'string' && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}
