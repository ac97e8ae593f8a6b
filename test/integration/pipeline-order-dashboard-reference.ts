/**
 * The order-dashboard reference: every output the job should commit for one orders file, computed
 * independently of the job's code (it imports none of it), with per-split watermarks 5 s (plus
 * 1 ms) behind the highest valid `ts` read so far and per-window lateness.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The job under test. */
export const JOB = 'jobs/order-dashboard';
/** Its outputs. */
export const OUTPUTS = ['minute_sales', 'category_rank', 'totals', 'brand_rank', 'top_users', 'gender_share', 'gender_10min', 'malformed'] as const;
/** Sorted canonical lines per output; `malformed` and `late` hold one placeholder per record. */
export type Outputs = Record<(typeof OUTPUTS)[number] | 'late', string[]>;

/** JSON with object keys sorted, so that records compare whatever order the job wrote keys in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

interface O {
  ts: number;
  user_id: string | number;
  user_name: string;
  gender: 'M' | 'F';
  category: string;
  brand: string;
  price_cents: number;
  quantity: number;
}

const safeInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isId = (v: unknown) => typeof v === 'string' || safeInt(v);

function validOrder(r: Record<string, unknown>): boolean {
  return (
    isId(r.order_id) && safeInt(r.ts) && isId(r.user_id) && typeof r.user_name === 'string' && (r.gender === 'M' || r.gender === 'F') &&
    isId(r.product_id) && typeof r.product_name === 'string' && typeof r.category === 'string' && typeof r.brand === 'string' &&
    safeInt(r.price_cents) && r.price_cents >= 0 && safeInt(r.quantity) && r.quantity >= 1 && Number.isSafeInteger(r.price_cents * r.quantity)
  );
}

function round4(part: number, total: number): number {
  if (total === 0) return 0;
  const x = BigInt(part) * 10_000n;
  const t = BigInt(total);
  const q = x / t;
  return Number(2n * (x % t) >= t ? q + 1n : q) / 10_000;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
function byId(a: string | number, b: string | number): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  return typeof b === 'number' ? 1 : byString(a, b);
}

/** Everything the job should commit, from the lines of one file. */
export function reference(lines: readonly string[]): Outputs {
  const minutes = new Map<number, O[]>();
  const tens = new Map<number, { M: number; F: number }>();
  let malformed = 0;
  let lateForMinute = 0;
  let maxTs = Number.NEGATIVE_INFINITY;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      malformed++;
      continue;
    }
    if (r === null || typeof r !== 'object' || Array.isArray(r) || !validOrder(r as Record<string, unknown>)) {
      malformed++;
      continue;
    }
    const o = r as O;
    const watermark = maxTs - 5_001;
    const minute = Math.floor(o.ts / 60_000) * 60_000;
    if (minute + 59_999 > watermark) minutes.set(minute, [...(minutes.get(minute) ?? []), o]);
    else lateForMinute++;
    const ten = Math.floor(o.ts / 600_000) * 600_000;
    if (ten + 599_999 > watermark) {
      const g = tens.get(ten) ?? { M: 0, F: 0 };
      g[o.gender] += o.quantity;
      tens.set(ten, g);
    }
    maxTs = Math.max(maxTs, o.ts);
  }
  const out: Record<string, unknown[]> = Object.fromEntries(OUTPUTS.map((name) => [name, []]));
  const brands = new Map<string, { quantity: number; amount: number }>();
  const users = new Map<string, { id: string | number; name: string; amount: number }>();
  const gender = { M: 0, F: 0 };
  let amount = 0;
  let quantity = 0;
  for (const start of [...minutes.keys()].sort((a, b) => a - b)) {
    const orders = minutes.get(start)!;
    const window = { window_start: start, window_end: start + 60_000 };
    const categories = new Map<string, { quantity: number; amount: number }>();
    let mAmount = 0;
    let mQuantity = 0;
    for (const o of orders) {
      const a = o.price_cents * o.quantity;
      mAmount += a;
      mQuantity += o.quantity;
      const c = categories.get(o.category) ?? { quantity: 0, amount: 0 };
      categories.set(o.category, { quantity: c.quantity + o.quantity, amount: c.amount + a });
      const b = brands.get(o.brand) ?? { quantity: 0, amount: 0 };
      brands.set(o.brand, { quantity: b.quantity + o.quantity, amount: b.amount + a });
      const key = `${typeof o.user_id}:${o.user_id}`;
      const u = users.get(key) ?? { id: o.user_id, name: o.user_name, amount: 0 };
      users.set(key, { ...u, amount: u.amount + a });
      gender[o.gender] += a;
    }
    amount += mAmount;
    quantity += mQuantity;
    const asOf = start + 60_000;
    out.minute_sales!.push({ ...window, amount_cents: mAmount, quantity: mQuantity, orders: orders.length });
    out.category_rank!.push({
      ...window,
      ranking: [...categories].sort(([ca, a], [cb, b]) => b.quantity - a.quantity || byString(ca, cb)).map(([category, c]) => ({ category, quantity: c.quantity, amount_cents: c.amount })),
    });
    out.totals!.push({ as_of: asOf, amount_cents: amount, quantity });
    out.brand_rank!.push({
      as_of: asOf,
      ranking: [...brands].sort(([na, a], [nb, b]) => b.amount - a.amount || byString(na, nb)).slice(0, 10).map(([brand, b]) => ({ brand, quantity: b.quantity, amount_cents: b.amount })),
    });
    out.top_users!.push({
      as_of: asOf,
      top: [...users.values()].sort((a, b) => b.amount - a.amount || byId(a.id, b.id)).slice(0, 10).map((u) => ({ user_id: u.id, user_name: u.name, amount_cents: u.amount })),
    });
    const total = gender.M + gender.F;
    out.gender_share!.push({ as_of: asOf, M: { amount_cents: gender.M, share: round4(gender.M, total) }, F: { amount_cents: gender.F, share: round4(gender.F, total) } });
  }
  for (const [start, g] of tens) out.gender_10min!.push({ window_start: start, window_end: start + 600_000, ...g });
  const result = Object.fromEntries(Object.entries(out).map(([name, rows]) => [name, rows.map(canonical).sort()])) as Outputs;
  result.malformed = Array.from({ length: malformed }, () => 'malformed');
  result.late = Array.from({ length: lateForMinute }, () => 'late');
  return result;
}


/** Runs the job's generator into `dir` (as a process) and returns the reference of its orders. */
export function generateWithReference(dir: string, seed: number, records: number): Outputs {
  execFileSync(process.execPath, ['bin/run-ts.js', `${JOB}/generate.ts`, '--seed', String(seed), '--records', String(records), dir]);
  return reference(readFileSync(join(dir, 'orders.jsonl'), 'utf8').split('\n'));
}
