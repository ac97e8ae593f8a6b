/** Argument checks shared by the restart strategies' constructors, so bad settings fail early and by name. */

/** Throws unless `value` is a finite number >= 0. */
export function requireNonNegative(strategy: string, name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${strategy}: ${name} must be a finite number >= 0, got ${value}`);
}

/** Throws unless `value` is a whole number >= 0, or Infinity (no limit). */
export function requireAttempts(strategy: string, name: string, value: number): void {
  if (value === Number.POSITIVE_INFINITY) return;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${strategy}: ${name} must be a whole number >= 0 or Infinity, got ${value}`);
}

/** Formats an attempt limit for `describe()`: "3 attempts", "1 attempt", "unlimited attempts". */
export function describeAttempts(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return 'unlimited attempts';
  return `${value} attempt${value === 1 ? '' : 's'}`;
}
