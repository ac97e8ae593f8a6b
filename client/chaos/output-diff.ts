/**
 * Compares what a job committed with what it should have: as multisets of rows, in canonical
 * JSON (keys sorted), so that neither row order nor field order matters.
 */

/** Expected rows, as JSON line → number of times it must appear. */
export type Reference = Map<string, number>;

/** How committed rows differ from the expected ones. */
export interface OutputDiff {
  /** Extra copies of expected rows. */
  readonly duplicates: number;
  /** Expected rows missing (or with too few copies). */
  readonly lost: number;
  /** Rows that were not expected at all. */
  readonly unexpected: number;
}

/** Canonical JSON of an output row: keys sorted at every level, so that field order does not matter. */
export function canonical(row: unknown): string {
  return JSON.stringify(row, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );
}

/** The rows as a reference: canonical JSON → count. */
export function referenceOf(rows: readonly unknown[]): Reference {
  const counts: Reference = new Map();
  for (const row of rows) {
    const key = canonical(row);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Compares committed rows with a reference: duplicates, losses and unexpected rows. */
export function compareOutput(rows: readonly unknown[], reference: Reference): OutputDiff {
  const seen = referenceOf(rows);
  const expected = referenceOf([...reference].flatMap(([line, n]) => Array.from({ length: n }, () => JSON.parse(line) as unknown)));
  let duplicates = 0;
  let lost = 0;
  let unexpected = 0;
  for (const [key, n] of seen) {
    const want = expected.get(key);
    if (want === undefined) unexpected += n;
    else if (n > want) duplicates += n - want;
  }
  for (const [key, want] of expected) {
    const got = seen.get(key) ?? 0;
    if (got < want) lost += want - got;
  }
  return { duplicates, lost, unexpected };
}
