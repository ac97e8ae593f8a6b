/** The changes recorded for incremental snapshots: which writes are recorded, encoded how, and when a key repeats. */
import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../../../taskmanager/state/cache/cache-entry.ts';
import { ChangeRecorder } from '../../../../taskmanager/state/cache/change-recorder.ts';
import { StateChangeSet } from '../../../../taskmanager/state/snapshot/state-change-set.ts';
import { StateKeyEncoder } from '../../../../taskmanager/state/state-key-layout.ts';
import { encodeStateValue } from '../../../../taskmanager/state/state-value-codec.ts';
import { entryOf, plainState } from './entries.ts';

const STATE = plainState(3);
const encoder = new StateKeyEncoder();

function recorder(maxChangeBytes = 1 << 20): ChangeRecorder {
  return new ChangeRecorder(maxChangeBytes, new StateKeyEncoder(), (entry) => encodeStateValue(entry.value, false, 0));
}

/** The `key=value` lines (hex; `deleted` for a delete) of a set, as a delta written from it alone would hold them; keys are short. */
function latest(set: StateChangeSet): string[] {
  const { bytes, count } = StateChangeSet.latest([set]);
  const out: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const keyLength = bytes[at]!;
    const key = bytes.subarray(at + 1, at + 1 + keyLength).toString('hex');
    at += 1 + keyLength;
    const valueLength = bytes[at]!;
    out.push(`${key}=${valueLength === 0 ? 'deleted' : bytes.subarray(at + 1, at + valueLength).toString('hex')}`);
    at += 1 + Math.max(0, valueLength - 1);
  }
  expect(out).toHaveLength(count);
  return out;
}

/** The line `latest` prints for an entry's key with a value (undefined: deleted). */
function line(e: CacheEntry, value: unknown): string {
  const key = Buffer.from(encoder.encode(e.keyGroup, e.state.id, e.key, e.namespace, e.userKey)).toString('hex');
  return `${key}=${value === undefined ? 'deleted' : Buffer.from(encodeStateValue(value, false, 0)).toString('hex')}`;
}

/** Writes a value into an entry as the cache does, telling the recorder. */
function write(r: ChangeRecorder, e: CacheEntry, value: unknown): void {
  e.value = value;
  r.wrote(e, value);
}

describe('change recorder', () => {
  it('starts from what the database holds and records values and deletes of held keys', () => {
    const r = recorder();
    const held = entryOf(STATE, 'held');
    held.stored = true;
    const fresh = entryOf(STATE, 'fresh');
    r.start([held, fresh]);
    expect([held.snapshot, fresh.snapshot, r.trackingChanges, r.hasChanges]).toEqual(['held', 'absent', true, false]);
    write(r, held, undefined);
    write(r, fresh, 7);
    expect([held.snapshot, fresh.snapshot, r.hasChanges]).toEqual(['changed-held', 'changed-absent', true]);
    expect(r.recordAll()).toEqual([held, fresh]);
    expect([held.snapshot, fresh.snapshot]).toEqual(['absent', 'held']);
    expect(latest(r.take())).toEqual([line(held, undefined), line(fresh, 7)]);
    expect(r.hasChanges).toBe(false);
  });

  it('records nothing for a key created and deleted between two snapshots', () => {
    const r = recorder();
    r.start([]);
    const e = entryOf(STATE, 'k');
    r.born(e);
    write(r, e, 1);
    write(r, e, undefined);
    r.recordAll();
    expect(e.snapshot).toBe('absent');
    expect(latest(r.take())).toEqual([]);
  });

  it('records an entry once per change, with the encodings a flush hands it', () => {
    const r = recorder();
    r.start([]);
    const e = entryOf(STATE, 'k');
    write(r, e, 5);
    const key = encoder.encodeCopy(e.keyGroup, e.state.id, e.key, e.namespace, e.userKey);
    r.record(e, key, encodeStateValue(5, false, 0));
    r.record(e);
    expect(r.recordAll()).toEqual([]);
    expect(latest(r.take())).toEqual([line(e, 5)]);
  });

  it('keeps the later write of a key recorded twice in one set', () => {
    const r = recorder();
    r.start([]);
    const e = entryOf(STATE, 'k');
    write(r, e, 1);
    r.record(e);
    write(r, e, 2);
    r.recordAll();
    expect(latest(r.take())).toEqual([line(e, 2)]);
  });

  it('knows a key is recorded again when its entry left the cache and a new one took its place', () => {
    const r = recorder();
    r.start([]);
    const first = entryOf(STATE, 'k');
    r.born(first);
    write(r, first, 1);
    r.record(first);
    r.leaving(first);
    const second = entryOf(STATE, 'k');
    r.born(second);
    second.stored = true;
    second.snapshot = 'held';
    write(r, second, 2);
    r.recordAll();
    expect(latest(r.take())).toEqual([line(second, 2)]);
  });

  it('forgets unrecorded changes of an entry that leaves, and everything when stopped', () => {
    const r = recorder();
    r.start([]);
    const a = entryOf(STATE, 'a');
    const b = entryOf(STATE, 'b');
    write(r, a, 1);
    write(r, b, 2);
    r.leaving(a);
    expect(a.snapshot).toBe('absent');
    r.stop();
    expect([b.snapshot, r.trackingChanges, r.hasChanges]).toEqual(['absent', false, false]);
    expect(latest(r.take())).toEqual([]);
  });

  it('stops once the recorded changes outgrow the limit', () => {
    const r = recorder(64);
    r.start([]);
    for (let i = 0; i < 10; i++) {
      const e = entryOf(STATE, `key-${i}`);
      write(r, e, 'a value of some length');
      r.record(e);
      r.settle();
    }
    expect(r.trackingChanges).toBe(false);
  });
});
