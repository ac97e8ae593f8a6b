/**
 * Makes rows read from PostgreSQL JSON values, the same way for the snapshot and the change
 * stream, so that a row looks alike whichever path brought it.
 */

const INT8_OID = 20;

/** A column's name and type, as a query result or a pgoutput relation describes it. */
export interface ColumnType {
  readonly name: string;
  readonly typeOid: number;
}

/**
 * A copy of `row` (values parsed by `pg`'s type parsers) with JSON values: a `bigint` column
 * within the safe integers becomes a number (beyond, it stays the decimal string `pg` gives),
 * a timestamp an ISO string, bytes base64; `null` stays `null`.
 */
export function jsonRow(columns: readonly ColumnType[], row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) out[column.name] = jsonValue(column.typeOid, row[column.name]);
  return out;
}

function jsonValue(typeOid: number, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeOid === INT8_OID && typeof value === 'string') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}
