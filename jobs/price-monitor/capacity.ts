/** The capacity a listing's title states, with its pack count, in millilitres. */
import { parseDecimal, scale, type Decimal } from './exact.ts';

/** A capacity and its unit; `\d` is ASCII only without the `u` flag. */
const CAPACITY = /(\d+(?:\.\d+)?)\s*(ml|毫升|l|升)(?![a-z])/i;
/** A multiplier right after the capacity. */
const MULTIPLIER = /\s*[x×*]\s*(\d+)/iy;
/** A pack count anywhere in the title. */
const PACK = /(\d+)\s*(瓶|支)/i;

/**
 * The capacity in ml read from a title, multiplied by its pack count: a multiplier right after
 * the capacity, otherwise the first `N瓶`/`N支`; a count of 0 is ignored. Undefined when the title
 * states no capacity or a capacity of 0.
 */
export function titleCapacity(title: string): Decimal | undefined {
  const match = CAPACITY.exec(title);
  if (match === null) return undefined;
  const amount = parseDecimal(match[1] ?? '');
  if (amount === undefined || amount.num === 0n) return undefined;
  const unit = (match[2] ?? '').toLowerCase();
  const ml = unit === 'l' || unit === '升' ? scale(amount, 1000n) : amount;
  MULTIPLIER.lastIndex = match.index + match[0].length;
  const count = MULTIPLIER.exec(title)?.[1] ?? PACK.exec(title)?.[1];
  const pack = count === undefined ? 0n : BigInt(count);
  return pack === 0n ? ml : scale(ml, pack);
}
