/** Ids as the contract orders them: integers as numbers, before strings; strings by UTF-16 code units. */

/** An id as it came: a string or a safe integer. */
export type Id = string | number;

/** Whether a value is a valid id. */
export function isId(value: unknown): value is Id {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

/** Compares two ids: numerically when both are integers, an integer before a string, strings plainly. */
export function compareIds(a: Id, b: Id): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A text that tells ids apart by type as well as value (5 and "5" are different SPUs). */
export function idKey(id: Id): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}
