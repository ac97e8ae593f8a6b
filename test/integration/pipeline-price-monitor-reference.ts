/**
 * The price-monitor reference: the alerts, unmatched listings and malformed count the job should
 * commit, computed independently of the job's code (it imports none of it; capacities in exact
 * nanolitres), processing each listings file in line order.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The job under test. */
export const JOB = 'jobs/price-monitor';

/** JSON with object keys sorted, so that records compare whatever order the job wrote keys in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** One CSV line into cells, or undefined when its quoting is broken. */
function csvCells(line: string): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else cell += line[i++];
      }
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const end = line.indexOf(',', i);
      cell = line.slice(i, end < 0 ? line.length : end);
      if (cell.includes('"')) return undefined;
      i = end < 0 ? line.length : end;
    }
    cells.push(cell);
    if (i >= line.length) return cells;
    i++;
  }
}

const NANO = 1_000_000_000n;
/** A decimal in nanolitres (the generator's decimals have at most 9 places). */
function nano(digits: string): bigint | undefined {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(digits);
  if (!m) return undefined;
  return BigInt(m[1]!) * NANO + BigInt((m[2] ?? '').padEnd(9, '0'));
}

interface Product {
  sku: string;
  capacity: string;
  flagship: number;
  keys: string[];
}

const norm = (s: string) => s.toLowerCase().replace(/\s/g, '');
const intCell = (s: string) => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s.trim()) && Number.isSafeInteger(Number(s)) ? Number(s) : undefined);

function skuLess(a: string, b: string): boolean {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && BigInt(a) !== BigInt(b)) return BigInt(a) < BigInt(b);
  return a < b;
}

function capacityNano(title: string): bigint | undefined {
  const m = /(\d+(?:\.\d+)?)\s*(ml|毫升|l|升)(?![a-z])/i.exec(title);
  if (!m) return undefined;
  let value = nano(m[1]!)!;
  if (value === 0n) return undefined;
  if (/^(l|升)$/i.test(m[2]!)) value *= 1000n;
  const rest = title.slice(m.index + m[0].length);
  const multiplier = /^\s*[x×*]\s*(\d+)/i.exec(rest);
  const count = multiplier ? multiplier[1]! : /(\d+)\s*(瓶|支)/i.exec(title)?.[1];
  if (count !== undefined && BigInt(count) > 0n) value *= BigInt(count);
  return value;
}

function nanoToNumber(v: bigint): number {
  return Number(`${v / NANO}.${(v % NANO).toString().padStart(9, '0')}`);
}

function round2Pct(flagship: number, normalized: number): number {
  if (flagship === 0) return 0;
  const x = (BigInt(flagship) - BigInt(normalized)) * 10_000n;
  const t = BigInt(flagship);
  const abs = x < 0n ? -x : x;
  let q = abs / t;
  if (2n * (abs % t) >= t) q++;
  return Number(x < 0n ? -q : q) / 100;
}

/** Sorted canonical lines of alerts and unmatched listings, and the malformed count. */
export interface Expected {
  alerts: string[];
  unmatched: string[];
  malformed: number;
}

/** The expected outputs for a reference CSV and the lines of each listings file. */
export function reference(csv: string, files: readonly string[][]): Expected {
  let malformed = 0;
  const products = new Map<string, Product>();
  const [header, ...rows] = csv.split('\n');
  const columns = csvCells(header!)!;
  for (const line of rows) {
    if (line.trim() === '') continue;
    const cells = csvCells(line);
    if (!cells || cells.length !== columns.length) {
      malformed++;
      continue;
    }
    const r = Object.fromEntries(columns.map((c, i) => [c, cells[i]!]));
    const capacity = nano(r.capacity_ml!.trim());
    const flagship = intCell(r.flagship_price_cents!);
    if (r.sku!.trim() === '' || norm(r.name!) === '' || capacity === undefined || capacity === 0n || flagship === undefined || flagship < 0) {
      malformed++;
      continue;
    }
    const keys = [norm(r.name!), ...r.aliases!.split('|').map(norm).filter((a) => a.length > 0)];
    products.set(r.sku!.trim(), { sku: r.sku!.trim(), capacity: r.capacity_ml!.trim(), flagship, keys });
  }
  const alerts: unknown[] = [];
  const unmatched: unknown[] = [];
  const violations = new Map<string, number>();
  for (const lines of files) {
    for (const line of lines) {
      if (line.trim() === '') continue;
      let l: Record<string, unknown>;
      try {
        l = JSON.parse(line) as Record<string, unknown>;
      } catch {
        malformed++;
        continue;
      }
      const ok =
        l !== null && typeof l === 'object' && !Array.isArray(l) && Number.isSafeInteger(l.ts) && Number.isSafeInteger(l.page_price_cents) &&
        (typeof l.shop_id === 'string' || Number.isSafeInteger(l.shop_id)) && ['shop_name', 'title', 'coupons', 'url'].every((f) => typeof l[f] === 'string');
      if (!ok) {
        malformed++;
        continue;
      }
      const title = l.title as string;
      let best: Product | undefined;
      let bestLen = -1;
      for (const p of products.values()) {
        const len = Math.max(-1, ...p.keys.filter((k) => norm(title).includes(k)).map((k) => k.length));
        if (len > bestLen || (len === bestLen && len >= 0 && best !== undefined && skuLess(p.sku, best.sku))) {
          best = len >= 0 ? p : best;
          bestLen = len;
        }
      }
      if (!best || bestLen < 0) {
        unmatched.push(l);
        continue;
      }
      const page = l.page_price_cents as number;
      let off = 0n;
      let offItem: [number, string] | undefined;
      let rate = 100n;
      let rateItem: [number, string] | undefined;
      const unparsed: string[] = [];
      (l.coupons as string).split(';').map((c) => c.trim()).filter(Boolean).forEach((c, i) => {
        let m: RegExpExecArray | null;
        if ((m = /^满(\d+)减(\d+)$/.exec(c))) {
          const y = BigInt(m[2]!) * 100n;
          if (BigInt(m[1]!) * 100n <= BigInt(page) && (offItem === undefined || y > off)) [off, offItem] = [y, [i, c]];
        } else if ((m = /^(\d)(?:\.(\d))?折$/.exec(c)) && m[1] !== '0') {
          const d = BigInt(m[1]!) * 10n + BigInt(m[2] ?? '0');
          if (rateItem === undefined || d < rate) [rate, rateItem] = [d, [i, c]];
        } else unparsed.push(c);
      });
      const after = BigInt(page) - off;
      const effective = after > 0n ? (after * rate) / 100n : 0n;
      const applied = [off > 0n ? offItem : undefined, rateItem].filter((x): x is [number, string] => x !== undefined).sort((a, b) => a[0] - b[0]);
      const refNano = nano(best.capacity)!;
      const cap = capacityNano(title) ?? refNano;
      const normalized = Number((effective * refNano) / cap);
      const key = `${JSON.stringify(l.shop_id)} ${l.url as string} ${best.sku}`;
      const alert = {
        ts: l.ts, shop_id: l.shop_id, shop_name: l.shop_name, sku: best.sku, title, url: l.url, capacity_ml: nanoToNumber(cap), page_price_cents: page,
        effective_price_cents: Number(effective), normalized_price_cents: normalized, flagship_price_cents: best.flagship,
        gap_pct: round2Pct(best.flagship, normalized), coupons_fmt: applied.map((a) => a[1]).join(' / '), coupons_unparsed: unparsed,
      };
      const before = violations.get(key);
      if (normalized < best.flagship) {
        if (before !== normalized) alerts.push({ ...alert, status: 'violation' });
        violations.set(key, normalized);
      } else if (before !== undefined) {
        alerts.push({ ...alert, status: 'recovered' });
        violations.delete(key);
      }
    }
  }
  return { alerts: alerts.map(canonical).sort(), unmatched: unmatched.map(canonical).sort(), malformed };
}


/** Runs the job's generator into `dir` (as a process) and returns the reference of its inputs. */
export function generateWithReference(dir: string, seed: number, records: number): Expected {
  execFileSync(process.execPath, ['bin/run-ts.js', `${JOB}/generate.ts`, '--seed', String(seed), '--records', String(records), dir]);
  const listingDir = join(dir, 'listings');
  const files = readdirSync(listingDir).sort().map((f) => readFileSync(join(listingDir, f), 'utf8').split('\n'));
  return reference(readFileSync(join(dir, 'reference.csv'), 'utf8'), files);
}
