/** The coupons of a listing: which are understood, which apply, and the price they leave. */

/** `满X减Y`: spend X yuan, Y yuan off. */
const SPEND_OFF = /^满(\d+)减(\d+)$/;
/** `D折`: pay D tenths, D from 1 to 9.9 with at most one decimal. */
const DISCOUNT = /^([1-9])(?:\.(\d))?折$/;

/** What a listing's coupons come to. */
export interface CouponResult {
  effective_price_cents: number;
  /** The applied items, as trimmed, in input order, joined by ` / `. */
  coupons_fmt: string;
  /** The items not understood, in input order. */
  coupons_unparsed: string[];
}

/**
 * Applies the best `满X减Y` (largest Y with `X*100 <= page price`) and the best `D折` (smallest
 * D) to the page price, ties going to the first item: `max(0, floor((page - off) * rate))`.
 */
export function applyCoupons(pagePriceCents: number, coupons: string): CouponResult {
  const page = BigInt(pagePriceCents);
  const unparsed: string[] = [];
  let off: { cents: bigint; index: number; text: string } | undefined;
  let rate: { tenthsOfTen: bigint; index: number; text: string } | undefined;
  const items = coupons.split(';').map((item) => item.trim()).filter((item) => item !== '');
  items.forEach((item, index) => {
    const spend = SPEND_OFF.exec(item);
    if (spend !== null) {
      const threshold = BigInt(spend[1] ?? '0') * 100n;
      const cents = BigInt(spend[2] ?? '0') * 100n;
      if (threshold <= page && (off === undefined || cents > off.cents)) off = { cents, index, text: item };
      return;
    }
    const discount = DISCOUNT.exec(item);
    if (discount !== null) {
      const hundredths = BigInt(`${discount[1] ?? ''}${discount[2] ?? '0'}`);
      if (rate === undefined || hundredths < rate.tenthsOfTen) rate = { tenthsOfTen: hundredths, index, text: item };
      return;
    }
    unparsed.push(item);
  });
  const offCents = off?.cents ?? 0n;
  const base = page - offCents;
  const effective = base <= 0n ? 0n : rate === undefined ? base : (base * rate.tenthsOfTen) / 100n;
  const applied = [...(off !== undefined && off.cents > 0n ? [off] : []), ...(rate !== undefined ? [rate] : [])].sort((a, b) => a.index - b.index);
  return { effective_price_cents: Number(effective), coupons_fmt: applied.map((a) => a.text).join(' / '), coupons_unparsed: unparsed };
}
