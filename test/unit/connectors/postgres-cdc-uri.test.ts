/**
 * The change-stream URI: which `postgres://` inputs route to it, what it parses to, where the
 * password comes from, and errors that name the argument at fault.
 */
import { describe, expect, it } from 'vitest';
import { isChangeStreamUri, parseCdcUri, passwordVariable } from '../../../connectors/postgres-cdc/cdc-uri.ts';
import { lsnValue, normalLsn } from '../../../connectors/postgres-cdc/lsn.ts';
import { slotName } from '../../../connectors/postgres-cdc/slot-name.ts';
import { sourceFromUri } from '../../../connectors/registry.ts';

describe('change-stream URI', () => {
  it('routes only postgres:// URIs with changes=true', () => {
    expect(isChangeStreamUri('postgres://u@h:1/db?table=t&changes=true')).toBe(true);
    expect(isChangeStreamUri('postgresql://u@h/db?changes=true&table=t')).toBe(true);
    expect(isChangeStreamUri('postgres://u@h:1/db?table=t')).toBe(false);
    expect(isChangeStreamUri('postgres://u@h:1/db?table=t&changes=false')).toBe(false);
    expect(isChangeStreamUri('mysql://u@h:1/db?table=t&changes=true')).toBe(false);
    expect(sourceFromUri('rules', 'postgres://u@h:1/db?table=t&changes=true').kind).toBe('postgres-cdc');
  });

  it('parses server, table and slot, the password from the URI or SLUICE_<INPUT>_PASSWORD', () => {
    expect(parseCdcUri('rules', 'postgres://app:s%40cret@db.local:6543/shop?table=public.rules&changes=true&slot=my_slot', {})).toEqual({
      host: 'db.local',
      port: 6543,
      user: 'app',
      database: 'shop',
      table: 'public.rules',
      slot: 'my_slot',
      password: 's@cret',
    });
    expect(passwordVariable('sku-rules')).toBe('SLUICE_SKU_RULES_PASSWORD');
    expect(parseCdcUri('sku-rules', 'postgres://app@h/db?table=t&changes=true', { SLUICE_SKU_RULES_PASSWORD: 'pw' })).toMatchObject({ port: 5432, password: 'pw' });
  });

  it('refuses a URI without table, database or user, an unknown parameter and a bad slot name, naming each', () => {
    expect(() => parseCdcUri('in', 'postgres://u@h/db?changes=true')).toThrow('?table= is required');
    expect(() => parseCdcUri('in', 'postgres://u@h/?table=t&changes=true')).toThrow('names no database');
    expect(() => parseCdcUri('in', 'postgres://h/db?table=t&changes=true')).toThrow('names no user');
    expect(() => parseCdcUri('in', 'postgres://u@h/db?table=t&changes=true&tabel=x')).toThrow('unknown parameter ?tabel=');
    expect(() => parseCdcUri('in', 'postgres://u@h/db?table=t&changes=true&slot=Bad-Name')).toThrow('?slot=Bad-Name is not a replication slot name');
    expect(() => sourceFromUri('rules', 'postgres://u:hunter2@h/db?changes=true')).toThrow(/^input "rules": \?table= is required/);
  });

  it('derives one valid slot name per job and operator', () => {
    const a = slotName('job-1', 'op-1');
    expect(a).toMatch(/^sluice_[0-9a-f]{24}$/);
    expect(slotName('job-1', 'op-1')).toBe(a);
    expect(slotName('job-1', 'op-2')).not.toBe(a);
    expect(slotName('job-2', 'op-1')).not.toBe(a);
  });

  it('orders LSNs by value, not as text', () => {
    expect(lsnValue('0/1A') < lsnValue('0/100')).toBe(true);
    expect(lsnValue('1/0') > lsnValue('0/FFFFFFFF')).toBe(true);
    expect(() => lsnValue('nope')).toThrow('"nope" is not an LSN');
    expect(normalLsn('00000000/01FD7890')).toBe('0/1FD7890');
  });
});
