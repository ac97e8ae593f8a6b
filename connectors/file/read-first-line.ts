/**
 * Reads the first non-blank line of an open file, for formats whose first line carries meaning
 * (the CSV header) when reading resumes in the middle of the file.
 */
import type { FileHandle } from 'node:fs/promises';
import { isBlankLine } from './is-blank-line.ts';

/**
 * Returns the first non-blank line that starts before byte `limit`, without its terminator and
 * without a UTF-8 byte order mark, or `null` when there is none (the line at `limit` itself is
 * then still to be read by the caller).
 */
export async function readFirstLine(handle: FileHandle, limit: number, chunkSize: number): Promise<string | null> {
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
      if (nl < 0 && !eof) break;
      if (nl < 0) nl = data.length;
      const line = decodeLine(data, from, nl, lineStart === 0);
      if (!isBlankLine(line)) return line;
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

function decodeLine(data: Buffer, start: number, end: number, atFileStart: boolean): string {
  const stop = end > start && data[end - 1] === 13 ? end - 1 : end;
  const line = data.toString('utf8', start, stop);
  return atFileStart && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}
