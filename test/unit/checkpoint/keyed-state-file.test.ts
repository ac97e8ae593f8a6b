import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAtomicFile } from '../../../common/checkpoint/checkpoint-storage.ts';
import { EntryBuffer, KeyedStateFileReader, KeyedStateFileWriter, type KeyedStateFileEntry, type KeyedStateFileHeader } from '../../../taskmanager/state/snapshot/keyed-state-file.ts';
import type { KeyValue } from '../../../common/key-groups.ts';
import { decodeStateKey, StateKeyEncoder } from '../../../taskmanager/state/state-key-layout.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const header: KeyedStateFileHeader = {
  kind: 'DELTA',
  checkpointId: 2 ** 40,
  operatorId: 'opérateur/1',
  keyGroupRange: { start: 3, end: 300 },
  states: new Map([
    [7, 'count'],
    [300, '\u0000timers/event-time'],
  ]),
};

/** Writes a file with the given entries; returns its path. */
async function writeFile(entries: readonly KeyedStateFileEntry[], fileHeader = header): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-kst-'));
  dirs.push(dir);
  const path = join(dir, 'f.kst');
  const writer = new KeyedStateFileWriter(await createAtomicFile(path), fileHeader);
  for (const { key, value } of entries) {
    writer.add(key, value);
    await writer.drain();
  }
  await writer.finish();
  return path;
}

async function readAll(path: string, maxBytes?: number): Promise<{ header: KeyedStateFileHeader; entries: KeyedStateFileEntry[] }> {
  const reader = await KeyedStateFileReader.open(path);
  try {
    const entries: KeyedStateFileEntry[] = [];
    for (;;) {
      const batch = await reader.next(maxBytes);
      if (batch === undefined) break;
      entries.push(...batch);
    }
    return { header: reader.header, entries };
  } finally {
    await reader.close();
  }
}

const encoder = new StateKeyEncoder();
const entries: KeyedStateFileEntry[] = [
  { key: encoder.encodeCopy(3, 7, 'a', '', undefined), value: Uint8Array.of(1, 2, 3) },
  { key: encoder.encodeCopy(4, 7, 'x'.repeat(3000), 'ns', undefined), value: new Uint8Array(2_500_000).fill(9) },
  { key: encoder.encodeCopy(5, 300, 12, 'w', 1234.5), value: undefined },
  { key: encoder.encodeCopy(6, 7, ['t', 1], '', undefined), value: new Uint8Array(0) },
];

describe('keyed-state files', () => {
  it('round-trip the header and entries, big ones and tombstones included, in small batches', async () => {
    const path = await writeFile(entries);
    const read = await readAll(path, 10);
    expect(read.header).toEqual(header);
    const digest = (e: KeyedStateFileEntry): [string, string | undefined] => [
      Buffer.from(e.key).toString('hex'),
      e.value && `${e.value.length}:${createHash('sha1').update(e.value).digest('hex')}`,
    ];
    expect(read.entries.map(digest)).toEqual(entries.map(digest));
  });

  it('detect corruption, truncation and foreign files with the path in the error', async () => {
    const path = await writeFile(entries.slice(0, 1));
    const bytes = readFileSync(path);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 10] = (flipped[flipped.length - 10] ?? 0) ^ 0xff;
    writeFileSync(path, flipped);
    await expect(readAll(path)).rejects.toThrow(new RegExp(`${path}.*(checksum|corrupt)`));
    writeFileSync(path, bytes.subarray(0, bytes.length - 8));
    await expect(readAll(path)).rejects.toThrow(/corrupt|truncated/);
    writeFileSync(path, Buffer.from('{"not": "a keyed-state file"}'));
    await expect(readAll(path)).rejects.toThrow(/bad magic/);
  });

  it('refuse tombstones in full files', async () => {
    await expect(writeFile(entries, { ...header, kind: 'FULL' })).rejects.toThrow(/no tombstones/);
  });

  it('encode an entry the same whether its key comes as bytes or is written in place', () => {
    const keys: [KeyValue, string, number | undefined][] = [
      [42, '1700000000000:1700000001000', undefined],
      ['user-1', '', 1_700_000_000_999],
      ['ü€', 'ünïcode', undefined],
      // Over 127 bytes: the in-place key moves to make room for a longer length.
      ['ü€😀'.repeat(30), 'window', undefined],
      [['a', 1], 'x'.repeat(200), -5.5],
    ];
    const values = [Uint8Array.of(0, 7), undefined, new Uint8Array(300).fill(9)];
    const fromBytes = new EntryBuffer(16);
    const inPlace = new EntryBuffer(16);
    const encoder = new StateKeyEncoder();
    const copier = new StateKeyEncoder();
    for (const [i, [key, namespace, userKey]] of keys.entries()) {
      for (const value of values) {
        fromBytes.addEntry(copier.encodeCopy(i, 3, key, namespace, userKey), value);
        inPlace.addEntryWith(encoder.prepare(i, 3, key, namespace, userKey), value);
      }
    }
    expect(inPlace.bytes.equals(fromBytes.bytes)).toBe(true);
    const decoded: string[] = [];
    EntryBuffer.forEachEntry(inPlace.bytes, (key, _entry, tombstone) => decoded.push(`${JSON.stringify(decodeStateKey(key))}${tombstone ? ' deleted' : ''}`));
    expect(decoded).toHaveLength(keys.length * values.length);
    expect(decoded[3]).toBe(`${JSON.stringify({ keyGroup: 1, stateId: 3, key: 'user-1', namespace: '', userKey: 1_700_000_000_999 })}`);
    expect(decoded[4]).toBe(`${JSON.stringify({ keyGroup: 1, stateId: 3, key: 'user-1', namespace: '', userKey: 1_700_000_000_999 })} deleted`);
  });
});
