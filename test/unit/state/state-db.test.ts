import { describe, expect, it } from 'vitest';
import { StateDb } from '../../../taskmanager/state/state-db.ts';
import { StateKeyEncoder } from '../../../taskmanager/state/state-key-layout.ts';
import { useStateDbs } from './fixtures.ts';

const dbs = useStateDbs();

describe('StateDb', () => {
  it('allocates stable state ids that survive close and reopen', async () => {
    const dir = dbs.dir();
    const first = await StateDb.open(dir);
    const a = first.stateId('op-1', 'count');
    const b = first.stateId('op-1', 'sum');
    const c = first.stateId('op-2', 'count');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(first.stateId('op-1', 'count')).toBe(a);
    await first.close();

    const second = await dbs.open(dir);
    expect(second.stateId('op-1', 'count')).toBe(a);
    expect(second.stateId('op-2', 'count')).toBe(c);
    expect(second.stateIdsOf('op-1').sort()).toEqual([a, b].sort());
    const d = second.stateId('op-3', 'new');
    expect([a, b, c]).not.toContain(d);
  });

  it('writes new ids together with the first batch', async () => {
    const dir = dbs.dir();
    const db = await StateDb.open(dir);
    const id = db.stateId('op', 'v');
    const key = new StateKeyEncoder().encodeCopy(0, id, 'k', '', undefined);
    await db.write([{ type: 'put', key, value: Uint8Array.of(1) }]);
    await db.close();
    const reopened = await dbs.open(dir);
    expect(reopened.stateId('op', 'v')).toBe(id);
    expect(reopened.getSync(key)).toEqual(Buffer.from([1]));
  });

  it('deletes only the given states in the given key groups', async () => {
    const db = await dbs.open();
    const mine = [db.stateId('op', 'a'), db.stateId('op', 'b')];
    const other = db.stateId('other', 'a');
    const encoder = new StateKeyEncoder();
    const keys: { keyGroup: number; stateId: number; key: Uint8Array }[] = [];
    for (let keyGroup = 0; keyGroup < 8; keyGroup++) {
      for (const stateId of [...mine, other]) {
        for (let i = 0; i < 5; i++) keys.push({ keyGroup, stateId, key: encoder.encodeCopy(keyGroup, stateId, i, '', undefined) });
      }
    }
    await db.write(keys.map(({ key }) => ({ type: 'put' as const, key, value: Uint8Array.of(0) })));
    const deleted = await db.deleteStates(mine, { start: 2, end: 5 });
    expect(deleted).toBe(4 * 2 * 5);
    for (const { keyGroup, stateId, key } of keys) {
      const gone = mine.includes(stateId) && keyGroup >= 2 && keyGroup <= 5;
      expect(db.getSync(key) === undefined).toBe(gone);
    }
  });
});
