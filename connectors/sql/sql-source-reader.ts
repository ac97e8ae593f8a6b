/**
 * Reads the snapshot splits of one SQL source subtask, a page at a time in primary-key order.
 */
import type { PollStatus, SourceOutput, SourceReader, SourceSplit } from '../../common/connector/source.ts';
import type { SqlClient } from './sql-client.ts';
import { quotedTable, tableName, type SqlDialect } from './sql-dialect.ts';
import { sqlError } from './sql-errors.ts';
import { acquirePool, releasePool } from './sql-pools.ts';
import type { SqlSplit } from './sql-split.ts';
import { primaryKeyColumns } from './sql-table.ts';
import type { SqlUri } from './sql-uri.ts';

/** Rows fetched per query. */
const PAGE_ROWS = 2_000;

/**
 * Fetches the next page of the current split in the background (keyset pagination: rows after the
 * last key emitted, in key order) and emits it synchronously in `pollNext`. A split's progress,
 * the key of the last row emitted, is what `snapshotState` gives, so a restore resumes after it.
 */
export class SqlSourceReader implements SourceReader<Record<string, unknown>> {
  private client: SqlClient | undefined;
  private key: string[] = [];
  private readonly queue: SqlSplit[] = [];
  private readonly done: SqlSplit[] = [];
  private current: SqlSplit | undefined;
  /** The last row emitted from `current`, whose key is the split's progress. */
  private lastRow: Record<string, unknown> | undefined;
  private page: Record<string, unknown>[] = [];
  private next = 0;
  private lastPage = false;
  private fetching: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly dialect: SqlDialect,
    private readonly uri: SqlUri,
  ) {}

  addSplits(splits: readonly SourceSplit[]): void {
    for (const split of splits as readonly SqlSplit[]) (split.finished ? this.done : this.queue).push(split);
  }

  get exhausted(): boolean {
    return this.current === undefined && this.queue.length === 0;
  }

  async open(): Promise<void> {
    this.client = acquirePool(this.dialect, this.uri);
    this.key = await primaryKeyColumns(this.dialect, this.client, this.uri);
    if (this.key.length === 0) throw sqlError(`table ${this.uri.table} has no primary key to page it by`, this.uri);
  }

  pollNext(output: SourceOutput<Record<string, unknown>>, maxRecords: number): PollStatus {
    if (this.failure !== undefined) throw this.failure;
    let emitted = 0;
    while (emitted < maxRecords) {
      const split = this.current;
      if (split === undefined) {
        const following = this.queue.shift();
        if (following === undefined) return 'end';
        this.current = following;
        this.lastRow = undefined;
        this.page = [];
        this.next = 0;
        this.lastPage = false;
        output.setSplit(following.id);
        continue;
      }
      if (this.next < this.page.length) {
        const row = this.page[this.next++] as Record<string, unknown>;
        this.lastRow = row;
        output.collect(row);
        emitted++;
        continue;
      }
      if (this.lastPage) {
        this.done.push({ ...this.progress(split), finished: true });
        this.current = undefined;
        output.splitEnded(split.id);
        continue;
      }
      this.fetching ??= this.fetch(this.progress(split));
      return 'nothing';
    }
    return 'more';
  }

  snapshotState(): SqlSplit[] {
    return [...this.done, ...(this.current === undefined ? [] : [this.progress(this.current)]), ...this.queue];
  }

  /** `split` with the key of the last row emitted from it as its position. */
  private progress(split: SqlSplit): SqlSplit {
    const row = this.lastRow;
    return row === undefined ? split : { ...split, after: this.key.map((k) => row[k]) };
  }

  available(): Promise<void> {
    return this.fetching ?? Promise.resolve();
  }

  async close(): Promise<void> {
    await this.fetching;
    if (this.client === undefined) return;
    this.client = undefined;
    await releasePool(this.uri);
  }

  /** Fetches the page after `split.after`; a failure is thrown by the next poll. */
  private async fetch(split: SqlSplit): Promise<void> {
    const { sql, params } = this.pageQuery(split);
    try {
      const { rows } = await this.client!.query(sql, params);
      this.page = rows;
      this.next = 0;
      this.lastPage = rows.length < PAGE_ROWS;
    } catch (error) {
      this.failure = sqlError(`cannot read table ${this.uri.table} (split ${split.id})`, this.uri, error);
    } finally {
      this.fetching = undefined;
    }
  }

  private pageQuery(split: SqlSplit): { sql: string; params: unknown[] } {
    const d = this.dialect;
    const params: unknown[] = [];
    const mark = (value: unknown): string => {
      params.push(value);
      return d.placeholder(params.length);
    };
    const conditions: string[] = [];
    const first = d.quote(this.key[0] as string);
    if (split.low !== undefined && split.high !== undefined) conditions.push(`${first} >= ${mark(split.low)} AND ${first} <= ${mark(split.high)}`);
    if (split.after !== undefined) {
      const columns = this.key.map((k) => d.quote(k));
      const values = split.after.map(mark);
      conditions.push(columns.length === 1 ? `${columns[0]} > ${values[0]}` : `(${columns.join(', ')}) > (${values.join(', ')})`);
    }
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
    const order = this.key.map((k) => d.quote(k)).join(', ');
    return { sql: `SELECT * FROM ${quotedTable(d, tableName(this.uri.table))}${where} ORDER BY ${order} LIMIT ${PAGE_ROWS}`, params };
  }
}
