/**
 * The inventory-alert reference: the alerts, late records and malformed count the job should
 * commit for the generator's files, computed independently of the job's code (it imports none of
 * it). Every input is one file (one split), so lateness follows each file's line order; the rule
 * change files are bounded, so they apply after the snapshots and before any stock record.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The job under test. */
export const JOB = 'jobs/inventory-alert';

/** JSON with object keys sorted, so that records compare whatever order the job wrote keys in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What the job should commit. */
export interface Expected {
  /** Canonical lines, sorted. */
  readonly alerts: string[];
  readonly late: string[];
  readonly malformed: number;
}

/** The job arguments of the generator's files in `dir`, outputs under `out`. */
export function jobArgs(dir: string, out: string): Record<string, string> {
  const f = (name: string): string => `file:${join(dir, name)}`;
  return {
    stock: f('stock.jsonl'),
    pv: f('pv.jsonl'),
    sku_dim: f('sku_dim.csv'),
    whitelist: f('whitelist.csv'),
    sku_rules: f('sku_rules.csv'),
    cate_brand_rules: f('cate_brand_rules.csv'),
    sku_rule_changes: f('sku_rule_changes.jsonl'),
    cate_brand_rule_changes: f('cate_brand_rule_changes.jsonl'),
    network: f('network.jsonl'),
    alerts: `file:${join(out, 'alerts')}`,
    late: `file:${join(out, 'late')}`,
    malformed: `file:${join(out, 'malformed')}`,
  };
}

type Row = Record<string, unknown>;

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}

function jsonInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

function cellInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v !== 'string' || !/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Rows of a simple CSV file (no quoting), with a counter for the bad ones. */
function csv(path: string, columns: string[], bad: { n: number }): number[][] {
  const [header, ...rest] = lines(path);
  const names = (header ?? '').split(',');
  const rows: number[][] = [];
  for (const line of rest) {
    const cells = line.split(',');
    const values = columns.map((c) => cellInt(cells[names.indexOf(c)]));
    if (values.some((v) => v === undefined)) bad.n++;
    else rows.push(values as number[]);
  }
  return rows;
}

/** Parsed JSON objects of a JSONL file whose fields pass `ok`, with a counter for the bad lines. */
function jsonl(path: string, ok: (r: Row) => boolean, bad: { n: number }): Row[] {
  const out: Row[] = [];
  for (const line of lines(path)) {
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      bad.n++;
      continue;
    }
    if (typeof r === 'object' && r !== null && !Array.isArray(r) && ok(r as Row)) out.push(r as Row);
    else bad.n++;
  }
  return out;
}

/** Splits a file's valid records into on-time and late ones: late is at or behind max ts - 5001. */
function splitLate(records: Row[]): { onTime: Row[]; late: Row[] } {
  let max = Number.NEGATIVE_INFINITY;
  const onTime: Row[] = [];
  const late: Row[] = [];
  for (const r of records) {
    const ts = r.ts as number;
    if (ts <= max - 5001) late.push(r);
    else onTime.push(r);
    max = Math.max(max, ts);
  }
  return { onTime, late };
}

/** Computes what the job should commit for the files in `dir`. */
export function reference(dir: string): Expected {
  const bad = { n: 0 };
  const stock = jsonl(join(dir, 'stock.jsonl'), (r) => ['ts', 'sku_id', 'warehouse_id', 'vender_id', 'qty'].every((k) => jsonInt(r[k])), bad);
  const pv = jsonl(join(dir, 'pv.jsonl'), (r) => ['ts', 'sku_id', 'region_id', 'pv'].every((k) => jsonInt(r[k])), bad);
  const dims = new Map(csv(join(dir, 'sku_dim.csv'), ['sku_id', 'vender_id', 'category_id', 'brand_id'], bad).map((r) => [r[0]!, r]));
  const white = new Set(csv(join(dir, 'whitelist.csv'), ['sku_id'], bad).map((r) => r[0]!));
  const skuRules = new Map<number, { threshold: number; status: number }>();
  for (const [sku, , threshold, status] of csv(join(dir, 'sku_rules.csv'), ['sku_id', 'vender_id', 'threshold', 'status'], bad)) skuRules.set(sku!, { threshold: threshold!, status: status! });
  const cateRules = new Map<string, { threshold: number; status: number }>();
  for (const [v, c, b, threshold, status] of csv(join(dir, 'cate_brand_rules.csv'), ['vender_id', 'category_id', 'brand_id', 'threshold', 'status'], bad)) cateRules.set(`${v}/${c}/${b}`, { threshold: threshold!, status: status! });
  const change = (keys: string[], deleteKeys: string[]) => (r: Row): boolean => {
    const row = r.row as Row;
    if (!['insert', 'update', 'delete'].includes(r.op as string) || typeof row !== 'object' || row === null || Array.isArray(row)) return false;
    return (r.op === 'delete' ? deleteKeys : [...keys, 'threshold', 'status']).every((k) => jsonInt(row[k]));
  };
  for (const r of jsonl(join(dir, 'sku_rule_changes.jsonl'), change(['sku_id', 'vender_id'], ['sku_id']), bad)) {
    const row = r.row as Record<string, number>;
    if (r.op === 'delete') skuRules.delete(row.sku_id!);
    else skuRules.set(row.sku_id!, { threshold: row.threshold!, status: row.status! });
  }
  for (const r of jsonl(join(dir, 'cate_brand_rule_changes.jsonl'), change(['vender_id', 'category_id', 'brand_id'], ['vender_id', 'category_id', 'brand_id']), bad)) {
    const row = r.row as Record<string, number>;
    const key = `${row.vender_id}/${row.category_id}/${row.brand_id}`;
    if (r.op === 'delete') cateRules.delete(key);
    else cateRules.set(key, { threshold: row.threshold!, status: row.status! });
  }
  const network = new Map<number, number>();
  for (const line of lines(join(dir, 'network.jsonl'))) {
    const r = JSON.parse(line) as { sku_id: number; network_qty: number };
    network.set(r.sku_id, r.network_qty);
  }

  const s = splitLate(stock);
  const p = splitLate(pv);
  const late = [...s.late.map((record) => canonical({ input: 'stock', record })), ...p.late.map((record) => canonical({ input: 'pv', record }))].sort();
  const bySku = new Map<number, Row[]>();
  for (const r of s.onTime) if (white.has(r.sku_id as number)) bySku.set(r.sku_id as number, [...(bySku.get(r.sku_id as number) ?? []), r]);
  const alerts: string[] = [];
  for (const [sku, records] of bySku) {
    const views = p.onTime.filter((v) => v.sku_id === sku);
    const ordered = records.map((r, i) => ({ r, i })).sort((a, b) => (a.r.ts as number) - (b.r.ts as number) || a.i - b.i).map((x) => x.r);
    const qty = new Map<number, number>();
    let level = 'NONE';
    for (const r of ordered) {
      const ts = r.ts as number;
      qty.set(r.warehouse_id as number, r.qty as number);
      const total = [...qty.values()].reduce((a, b) => a + b, 0);
      const sr = skuRules.get(sku);
      const dim = dims.get(sku);
      const cr = dim === undefined ? undefined : cateRules.get(`${r.vender_id}/${dim[2]}/${dim[3]}`);
      const rule = sr?.status === 1 ? { rule: 'sku', threshold: sr.threshold } : cr?.status === 1 ? { rule: 'cate_brand', threshold: cr.threshold } : undefined;
      let next = rule === undefined ? 'NONE' : total === 0 ? 'OUT_OF_STOCK' : total > 0 && total <= rule.threshold ? 'LOW_STOCK' : 'NONE';
      if (next !== 'NONE' && rule !== undefined && (network.get(sku) ?? 0) > rule.threshold) next = 'NONE';
      if (next === level) continue;
      level = next;
      const pv_5m = views.filter((v) => (v.ts as number) > ts - 300_000 && (v.ts as number) <= ts).reduce((a, v) => a + (v.pv as number), 0);
      alerts.push(canonical({ ts, sku_id: sku, vender_id: r.vender_id, level: next === 'NONE' ? 'RECOVERED' : next, total_qty: total, threshold: rule?.threshold ?? null, rule: rule?.rule ?? null, pv_5m, priority: pv_5m >= 100 ? 'P1' : 'P2' }));
    }
  }
  return { alerts: alerts.sort(), late, malformed: bad.n };
}

/** Runs the job's generator into `dir` and computes the reference of its files. */
export function generateWithReference(dir: string, seed: number, records: number): Expected {
  execFileSync(process.execPath, ['bin/run-ts.js', 'jobs/inventory-alert/generate.ts', '--seed', String(seed), '--records', String(records), dir], { stdio: 'inherit' });
  return reference(dir);
}
