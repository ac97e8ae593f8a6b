/** Exact decimal arithmetic for price-monitor: decimals as integer fractions, floors and rounding. */

/** A non-negative decimal as `num / den`, `den` a power of ten. */
export interface Decimal {
  readonly num: bigint;
  readonly den: bigint;
}

/** Parses unsigned ASCII decimal digits with an optional fraction (`12`, `7.5`), or undefined. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) return undefined;
  const fraction = match[2] ?? '';
  return { num: BigInt(`${match[1]}${fraction}`), den: 10n ** BigInt(fraction.length) };
}

/** Multiplies a decimal by an integer. */
export function scale(value: Decimal, factor: bigint): Decimal {
  return { num: value.num * factor, den: value.den };
}

/** The decimal as a JSON number (exact when it fits a double, as capacities do). */
export function decimalToNumber(value: Decimal): number {
  const digits = value.num.toString();
  const places = value.den.toString().length - 1;
  if (places === 0) return Number(digits);
  const padded = digits.padStart(places + 1, '0');
  return Number(`${padded.slice(0, -places)}.${padded.slice(-places)}`);
}

/** `round(num / den)` half away from zero, `den > 0`. */
export function roundHalfAwayFromZero(num: bigint, den: bigint): bigint {
  const magnitude = num < 0n ? -num : num;
  const rounded = (2n * magnitude + den) / (2n * den);
  return num < 0n ? -rounded : rounded;
}

/** `round2((flagship - normalized) * 100 / flagship)`, exactly; 0 for a flagship price of 0. */
export function gapPct(flagshipCents: number, normalizedCents: number): number {
  if (flagshipCents === 0) return 0;
  const hundredths = roundHalfAwayFromZero((BigInt(flagshipCents) - BigInt(normalizedCents)) * 10_000n, BigInt(flagshipCents));
  return Number(hundredths) / 100;
}
