import { describe, expect, it } from 'vitest';
import { sinkFromUri, sourceFromUri } from '../../../connectors/registry.ts';
import { SqlSink } from '../../../connectors/sql/sql-sink.ts';
import { SqlSource } from '../../../connectors/sql/sql-source.ts';
import { parseSqlUri, passwordVariable, redactUri } from '../../../connectors/sql/sql-uri.ts';

describe('parseSqlUri', () => {
  it('reads user, host, port, database, table and mode', () => {
    const uri = parseSqlUri('postgres://alice@db.example:6543/shop?table=public.orders&mode=upsert&key=id,day&create=true', 'out', {});
    expect(uri).toMatchObject({ dialect: 'postgres', user: 'alice', host: 'db.example', port: 6543, database: 'shop', table: 'public.orders', mode: 'upsert', key: ['id', 'day'], create: true });
    expect(parseSqlUri('mysql://root@127.0.0.1/test?table=t', 'out', {})).toMatchObject({ dialect: 'mysql', port: 3306, mode: 'append', key: [], create: false });
  });

  it('takes the password from the URI or from SLUICE_<NAME>_PASSWORD, and never shows it', () => {
    const inline = parseSqlUri('mysql://root:s3cret@127.0.0.1:3306/test?table=t', 'out', {});
    expect(inline.password).toBe('s3cret');
    expect(inline.display).not.toContain('s3cret');
    const fromEnv = parseSqlUri('mysql://root@127.0.0.1:3306/test?table=t', 'word-counts', { SLUICE_WORD_COUNTS_PASSWORD: 'hidden' });
    expect(fromEnv.password).toBe('hidden');
    expect(passwordVariable('word-counts')).toBe('SLUICE_WORD_COUNTS_PASSWORD');
  });

  it('names the parameter at fault, without the password', () => {
    const bad = (uri: string): string => {
      try {
        parseSqlUri(uri, 'out', {});
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`${uri} parsed`);
    };
    expect(bad('postgres://u:pw@h/test')).toMatch(/\?table= must name a table/);
    expect(bad('postgres://u:pw@h/test?table=t&mode=merge')).toMatch(/\?mode= must be append or upsert, got "merge"/);
    expect(bad('postgres://u:pw@h/test?table=t&mode=upsert')).toMatch(/needs \?key=/);
    expect(bad('postgres://u:pw@h/test?table=t&color=red')).toMatch(/unknown parameter \?color=/);
    expect(bad('postgres://u:pw@h?table=t')).toMatch(/needs the database/);
    for (const uri of ['postgres://u:pw@h/test', 'postgres://u:pw@h/test?table=t&mode=merge']) expect(bad(uri)).not.toContain('pw');
    expect(redactUri('mysql://root:pw@h:1/x')).toBe('mysql://root:***@h:1/x');
  });
});

describe('the registry', () => {
  it('makes postgres:// and mysql:// arguments SQL sources and sinks, naming the argument in errors', () => {
    const sink = sinkFromUri('out', 'postgres://postgres@127.0.0.1:5432/test?table=t&mode=upsert&key=k');
    expect(sink).toBeInstanceOf(SqlSink);
    expect(sink.kind).toBe('postgres');
    const source = sourceFromUri('in', 'mysql://root@127.0.0.1:3306/test?table=t');
    expect(source).toBeInstanceOf(SqlSource);
    expect(source).toMatchObject({ kind: 'mysql', bounded: true });
    expect(() => sinkFromUri('totals', 'mysql://root:pw@h/test?table=t&mode=upsert')).toThrow('output "totals": "mysql://root@h/test?table=t&mode=upsert": ?mode=upsert needs ?key=col1,col2');
  });
});
