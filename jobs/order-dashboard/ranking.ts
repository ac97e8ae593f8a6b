/** The orderings and the rounding of the order-dashboard outputs. */

/** An id as it came: a string or a safe integer. */
export type Id = string | number;

/** Plain JavaScript string order (UTF-16 code units). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ids: numerically when both are integers, as strings when both are strings; an integer first. */
export function compareIds(a: Id, b: Id): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareStrings(a, b);
}

/** A map key for an id that keeps `1` and `"1"` apart and can never be `__proto__`. */
export function idKey(id: Id): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}

/**
 * `round4(part / total)`, half away from zero, computed exactly from the integers (both >= 0);
 * 0 when the total is 0.
 */
export function share(part: number, total: number): number {
  if (total === 0) return 0;
  const scaled = BigInt(part) * 10_000n;
  const den = BigInt(total);
  const rounded = (2n * scaled + den) / (2n * den);
  return Number(rounded) / 10_000;
}
