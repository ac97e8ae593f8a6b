/**
 * The bounded snapshot source of a `postgres://` or `mysql://` input: a table's rows, split by
 * ranges of its primary key.
 */
import type { Source, SourceReader, SourceReaderContext } from '../../common/connector/source.ts';
import { quotedTable, tableName, type SqlDialect } from './sql-dialect.ts';
import { sqlError } from './sql-errors.ts';
import { acquirePool, releasePool } from './sql-pools.ts';
import { SqlSourceReader } from './sql-source-reader.ts';
import { rangeSplits, type SqlSplit } from './sql-split.ts';
import { isIntegerType, primaryKeyColumns, tableColumnTypes } from './sql-table.ts';
import type { SqlUri } from './sql-uri.ts';

/**
 * Reads `uri.table` once. With an integer first primary-key column (and rows) the table is split into
 * `?splits=N` ranges of it between its minimum and maximum; otherwise it is one split. Readers
 * page through their splits in key order, and a split's progress is the key of the last row.
 */
export class SqlSource implements Source<Record<string, unknown>> {
  readonly kind: string;
  readonly bounded = true;

  constructor(
    private readonly dialect: SqlDialect,
    readonly uri: SqlUri,
  ) {
    this.kind = dialect.name;
  }

  async enumerateSplits(): Promise<SqlSplit[]> {
    const client = acquirePool(this.dialect, this.uri);
    try {
      const types = await tableColumnTypes(this.dialect, client, this.uri);
      if (types.size === 0) throw sqlError(`table ${this.uri.table} does not exist`, this.uri);
      const key = await primaryKeyColumns(this.dialect, client, this.uri);
      const first = key[0];
      if (first === undefined) throw sqlError(`table ${this.uri.table} has no primary key to split and page it by`, this.uri);
      const whole: SqlSplit[] = [{ id: `${this.uri.table}#all`, finished: false }];
      if (!isIntegerType(types.get(first))) return whole;
      const column = this.dialect.quote(first);
      let bounds: Record<string, unknown> | undefined;
      try {
        const sql = `SELECT MIN(${column}) AS low, MAX(${column}) AS high FROM ${quotedTable(this.dialect, tableName(this.uri.table))}`;
        bounds = (await client.query(sql)).rows[0];
      } catch (error) {
        throw sqlError(`cannot read the key range of table ${this.uri.table}`, this.uri, error);
      }
      const low = Number(bounds?.low);
      const high = Number(bounds?.high);
      if (bounds?.low === null || !Number.isSafeInteger(low) || !Number.isSafeInteger(high)) return whole;
      return rangeSplits(this.uri.table, low, high, this.uri.splits);
    } finally {
      await releasePool(this.uri);
    }
  }

  createReader(_context: SourceReaderContext): SourceReader<Record<string, unknown>> {
    return new SqlSourceReader(this.dialect, this.uri);
  }
}
