/**
 * The sink of a `postgres://` or `mysql://` output: rows into a table, exactly once.
 */
import type { Sink, SinkContext, SinkWriter } from '../../common/connector/sink.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { SqlSinkWriter } from './sql-sink-writer.ts';
import type { SqlUri } from './sql-uri.ts';

/** Writes each record as a row of `uri.table`, appended or upserted on `uri.key` (see `SqlSinkWriter`). */
export class SqlSink implements Sink<unknown> {
  readonly kind: string;

  constructor(
    private readonly dialect: SqlDialect,
    readonly uri: SqlUri,
  ) {
    this.kind = dialect.name;
  }

  createWriter(context: SinkContext): SinkWriter<unknown> {
    return new SqlSinkWriter(this.dialect, this.uri, context);
  }
}
