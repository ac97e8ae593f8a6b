/**
 * The exactly-once writer of one SQL sink subtask: the rows of a checkpoint are staged with the
 * checkpoint and written, in one database transaction with a marker row, when it completes.
 */
import type { SinkContext, TwoPhaseCommitSinkWriter } from '../../common/connector/sink.ts';
import type { SqlClient, SqlConnection } from './sql-client.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { sqlError } from './sql-errors.ts';
import { insertRows, lastRowPerKey } from './sql-insert.ts';
import { acquirePool, releasePool } from './sql-pools.ts';
import { checkFields, createTableFor, fieldsOf, tableColumns } from './sql-table.ts';
import type { SqlUri } from './sql-uri.ts';

/** The commit table, in the sink table's database: one marker row per written checkpoint. */
export const COMMIT_TABLE = 'sluice_commits';

/** The rows one subtask staged for one checkpoint (JSON, kept in the checkpoint until written). */
export interface SqlTransaction {
  readonly subtask: number;
  readonly checkpointId: number;
  readonly rows: Record<string, unknown>[];
}

/**
 * `write` stages records in memory; `preCommit` at a barrier hands the staged rows to the
 * checkpoint as one transaction; `commit`, when the checkpoint completes, writes them in one
 * database transaction that first inserts the marker `(job, operator, subtask, checkpoint_id)`:
 * when the marker is there already (a commit that is repeated after a failure, or by
 * `recover`), the transaction writes nothing. Nothing reaches the database before its checkpoint
 * completes, so a crashed attempt leaves nothing to discard. Without checkpointing, `flush` and
 * `finish` write the staged rows without a marker.
 */
export class SqlSinkWriter implements TwoPhaseCommitSinkWriter<unknown, SqlTransaction> {
  private client: SqlClient | undefined;
  private staged: Record<string, unknown>[] = [];
  /** The table's columns; empty until a `?create=true` table is created. */
  private columns: string[] = [];

  constructor(
    private readonly dialect: SqlDialect,
    private readonly uri: SqlUri,
    private readonly context: SinkContext,
  ) {}

  async open(): Promise<void> {
    const client = acquirePool(this.dialect, this.uri);
    this.client = client;
    try {
      await client.query(this.dialect.createCommitTable(COMMIT_TABLE));
    } catch (error) {
      throw sqlError(`cannot open the sink (creating table ${COMMIT_TABLE})`, this.uri, error);
    }
    this.columns = await tableColumns(this.dialect, client, this.uri);
    if (this.columns.length === 0 && !this.uri.create) throw sqlError(`table ${this.uri.table} does not exist (add ?create=true to create it from the first record)`, this.uri);
    const missingKey = this.columns.length === 0 ? undefined : this.uri.key.find((key) => !this.columns.includes(key));
    if (missingKey !== undefined) throw sqlError(`?key= names column "${missingKey}", which table ${this.uri.table} does not have (columns: ${this.columns.join(', ')})`, this.uri);
  }

  write(record: unknown): void {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw sqlError(`a record must be an object whose fields name columns, got ${Array.isArray(record) ? 'an array' : JSON.stringify(record)}`, this.uri);
    }
    this.staged.push(record as Record<string, unknown>);
  }

  async flush(): Promise<void> {
    if (!this.context.checkpointing && this.staged.length >= 10_000) await this.writeUnmarked();
  }

  async preCommit(checkpointId: number): Promise<SqlTransaction[]> {
    if (this.staged.length === 0) return [];
    const transaction = { subtask: this.context.subtaskIndex, checkpointId, rows: this.staged };
    this.staged = [];
    return [transaction];
  }

  async commit(transactions: readonly SqlTransaction[]): Promise<void> {
    const ordered = [...transactions].sort((a, b) => a.checkpointId - b.checkpointId || a.subtask - b.subtask);
    for (const transaction of ordered) await this.writeTransaction(transaction);
  }

  async recover(toCommit: readonly SqlTransaction[]): Promise<void> {
    await this.commit(toCommit);
  }

  async finish(): Promise<void> {
    if (!this.context.checkpointing) await this.writeUnmarked();
  }

  async close(): Promise<void> {
    if (this.client === undefined) return;
    this.client = undefined;
    await releasePool(this.uri);
  }

  /** Writes a checkpoint's rows and its marker in one transaction, unless the marker exists. */
  private async writeTransaction(transaction: SqlTransaction): Promise<void> {
    const rows = this.rowsToWrite(transaction.rows);
    const columns = await this.prepareColumns(rows);
    const { jobId, operatorId } = this.context;
    try {
      await this.client!.transaction(async (connection) => {
        const marker = await connection.query(this.dialect.insertMarker(COMMIT_TABLE), [jobId, operatorId, transaction.subtask, transaction.checkpointId]);
        if (marker.affected === 0) return;
        await insertRows(this.dialect, connection, this.uri, columns, rows);
      });
    } catch (error) {
      throw sqlError(`cannot write the ${rows.length} rows of checkpoint ${transaction.checkpointId} into table ${this.uri.table}`, this.uri, error);
    }
  }

  /** Writes the staged rows without a marker (a job without checkpoints). */
  private async writeUnmarked(): Promise<void> {
    if (this.staged.length === 0) return;
    const rows = this.rowsToWrite(this.staged);
    this.staged = [];
    const columns = await this.prepareColumns(rows);
    try {
      await this.client!.transaction((connection: SqlConnection) => insertRows(this.dialect, connection, this.uri, columns, rows));
    } catch (error) {
      throw sqlError(`cannot write ${rows.length} rows into table ${this.uri.table}`, this.uri, error);
    }
  }

  private rowsToWrite(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
    if (this.uri.mode !== 'upsert') return rows as Record<string, unknown>[];
    for (const row of rows) {
      for (const key of this.uri.key) if (row[key] === undefined || row[key] === null) throw sqlError(`a record has no value for the key column "${key}": ${JSON.stringify(row)}`, this.uri);
    }
    return lastRowPerKey(rows, this.uri.key);
  }

  /** The columns the rows' fields name, creating the table first with `?create=true`; throws naming a field that is no column. */
  private async prepareColumns(rows: readonly Record<string, unknown>[]): Promise<string[]> {
    const fields = fieldsOf(rows);
    if (this.columns.length === 0 && rows[0] !== undefined) {
      await createTableFor(this.dialect, this.client!, this.uri, rows[0]);
      this.columns = await tableColumns(this.dialect, this.client!, this.uri);
    }
    checkFields(fields, this.columns, this.uri);
    return fields;
  }
}
