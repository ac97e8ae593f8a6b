/**
 * Writes a deterministic `orders.jsonl` for order-dashboard into DIR:
 * `node bin/run-ts.js jobs/order-dashboard/generate.ts --seed S --records N DIR`.
 * Orders move forward ~500 ms apiece with disorder within the 5 s bound, over skewed (Zipf-like)
 * users, brands and categories with Unicode names; among them late orders (behind the minute or
 * the 10-minute window that already closed, and one exactly at the edge), ties in every ranking,
 * amounts that make a gender share end in an exact 5 at the fifth decimal, integer and string ids,
 * and malformed lines (bad JSON, a bad gender, negative price, zero quantity, a fractional ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Reads `--seed S --records N DIR`. */
function parseArgs(argv: readonly string[]): { seed: number; records: number; dir: string } {
  let seed = 1;
  let records = 2_000;
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--seed') seed = Number(argv[++i]);
    else if (arg === '--records') records = Number(argv[++i]);
    else dir = arg;
  }
  if (dir === undefined || !Number.isSafeInteger(seed) || !Number.isSafeInteger(records) || records < 0) {
    throw new Error('usage: generate.ts --seed S --records N DIR');
  }
  return { seed, records, dir };
}

const CATEGORIES = ['美妆', '服饰', '数码', 'Home', 'home', 'Électroménager', '食品'];
const BRANDS = ['华为', 'Apple', 'apple', '小米', 'L10', 'L9', 'Zeiß', '李宁', 'Nike', '安踏', 'Ünï', '😀Emoji'];
const PRODUCTS = ['口红', 'T-shirt', '手机', 'Lamp', '咖啡机', '饼干', 'Sneaker'];

/** Picks an index with probability falling off like 1/(i+1). */
function skewed(next: () => number, n: number): number {
  const r = next() * Math.log(n + 1);
  return Math.min(n - 1, Math.floor(Math.exp(r)) - 1);
}

/** The lines of the orders file. */
function generateOrders(seed: number, records: number): string[] {
  const next = random(seed);
  const t0 = 1_767_225_600_000 + Math.floor(next() * 1_000) * 60_000;
  const users = Array.from({ length: 50 }, (_, i) => ({
    id: i % 3 === 0 ? `u${String(i).padStart(3, '0')}` : i % 3 === 1 ? i : `用户${i}`,
    name: i % 2 === 0 ? `User ${i}` : `顾客·${i}`,
    gender: i % 2 === 0 ? 'M' : 'F',
  }));
  const lines: string[] = [];
  let maxTs = t0;
  for (let i = 0; i < records; i++) {
    const base = t0 + i * 500;
    const ts = base - Math.floor(next() * 4_000);
    maxTs = Math.max(maxTs, ts);
    const user = users[skewed(next, users.length)]!;
    const p = skewed(next, PRODUCTS.length);
    const price = [0, 99, 1_000, 2_550, 12_345, 99_999][Math.floor(next() * 6)]!;
    lines.push(JSON.stringify({
      order_id: i % 4 === 0 ? `o-${i}` : i,
      ts,
      user_id: user.id,
      user_name: user.name,
      gender: user.gender,
      product_id: 1_000 + p,
      product_name: PRODUCTS[p],
      category: CATEGORIES[skewed(next, CATEGORIES.length)],
      brand: BRANDS[skewed(next, BRANDS.length)],
      price_cents: price,
      quantity: 1 + skewed(next, 5),
      ...(i % 7 === 0 ? { channel: 'app' } : {}),
    }));
    if (i % 97 === 50) lines.push(...edgeLines(i, maxTs));
  }
  return lines;
}

/** Late orders, at the edge of lateness, and malformed lines, for the stretch around order `i`. */
function edgeLines(i: number, maxTs: number): string[] {
  const watermark = maxTs - 5_001;
  const minuteEnd = watermark - (((watermark % 60_000) + 60_000) % 60_000);
  const order = (ts: number, extra: Record<string, unknown>) =>
    JSON.stringify({ order_id: `edge-${i}-${ts}`, ts, user_id: 'u000', user_name: 'User 0', gender: 'M', product_id: 'p-edge', product_name: '边缘', category: '美妆', brand: 'Apple', price_cents: 500, quantity: 1, ...extra });
  return [
    // Late for its minute (the minute ended at or before the watermark + 1) but maybe not for its 10 minutes.
    order(minuteEnd - 1, {}),
    // Far behind: late for every window.
    order(maxTs - 3_600_000, { brand: 'Late' }),
    // Whole-number floats count as integers.
    order(maxTs - 1_000, { price_cents: 2_500, quantity: 2 }).replace('"price_cents":2500', '"price_cents":2.5e3').replace('"quantity":2', '"quantity":2.0'),
    '{"order_id": 1, "ts": ',
    order(maxTs, { gender: 'X' }),
    order(maxTs, { price_cents: -1 }),
    order(maxTs, { quantity: 0 }),
    order(maxTs + 0.5, {}),
    order(maxTs, { user_id: null }),
    '   ',
  ];
}

const { seed, records, dir } = parseArgs(process.argv.slice(2));
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'orders.jsonl'), `${generateOrders(seed, records).join('\n')}\n`);
