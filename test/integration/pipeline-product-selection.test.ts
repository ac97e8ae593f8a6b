/**
 * product-selection on real processes, at p=1 (catalog file as `sp`) and p=3 (the shipped SPU
 * search server over HTTP), over the generator's inputs, against a reference computed here from
 * the same files without the job's code: one snapshot per applied selection, the deltas, and the
 * malformed lines. Then, against a search service that fails one page for good and answers another
 * only after the 2 s timeout once: the failed selection goes to `malformed` and bumps no version,
 * the slow one is retried and applied, and the job finishes.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';

const JOB = 'jobs/product-selection';
type Id = string | number;

interface Expected {
  snapshots: string[];
  deltas: string[];
  malformedRaw: string[];
}

const int = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
const id = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v));
const order = (a: Id, b: Id): number => (typeof a === 'number' && typeof b === 'number' ? a - b : typeof a === 'number' ? -1 : typeof b === 'number' ? 1 : a < b ? -1 : a > b ? 1 : 0);

/** The contract, computed directly: each valid selection in line order, per pool. */
function reference(dir: string): Expected {
  const catalog = new Map<string, Record<string, unknown>>();
  for (const line of readFileSync(join(dir, 'catalog.jsonl'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    if (!id(r.spu_id) || typeof r.category !== 'string' || typeof r.brand !== 'string' || typeof r.title !== 'string' || !int(r.price_cents) || !int(r.sales)) continue;
    catalog.set(`${typeof r.spu_id}:${r.spu_id}`, r);
  }
  const pools = new Map<string, { version: number; set: Id[] }>();
  const out: Expected = { snapshots: [], deltas: [], malformedRaw: [] };
  for (const raw of readFileSync(join(dir, 'selections.jsonl'), 'utf8').split('\n')) {
    if (raw.trim() === '') continue;
    let s: Record<string, unknown>;
    try {
      s = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      out.malformedRaw.push(raw);
      continue;
    }
    const f = s.features as Record<string, unknown> | undefined | null;
    const upsertOk = typeof f === 'object' && f !== null && typeof f.category === 'string' && (f.brand === undefined || f.brand === null || typeof f.brand === 'string') && int(f.price_min_cents) && int(f.price_max_cents) && int(f.min_sales);
    if (!int(s.ts) || !id(s.pool_id) || !(s.op === 'delete' || (s.op === 'upsert' && upsertOk))) {
      out.malformedRaw.push(raw);
      continue;
    }
    const next: Id[] = [];
    if (s.op === 'upsert' && f) {
      for (const item of catalog.values()) {
        const brandOk = typeof f.brand !== 'string' || item.brand === f.brand;
        if (item.category === f.category && brandOk && (f.price_min_cents as number) <= (item.price_cents as number) && (item.price_cents as number) <= (f.price_max_cents as number) && (item.sales as number) >= (f.min_sales as number)) next.push(item.spu_id as Id);
      }
    }
    next.sort(order);
    const poolKey = `${typeof s.pool_id}:${s.pool_id}`;
    const pool = pools.get(poolKey) ?? { version: 0, set: [] };
    const version = pool.version + 1;
    const before = new Set(pool.set.map((x) => `${typeof x}:${x}`));
    const after = new Set(next.map((x) => `${typeof x}:${x}`));
    for (const x of next) if (!before.has(`${typeof x}:${x}`)) out.deltas.push(JSON.stringify({ pool_id: s.pool_id, version, spu_id: x, action: 'add' }));
    for (const x of pool.set) if (!after.has(`${typeof x}:${x}`)) out.deltas.push(JSON.stringify({ pool_id: s.pool_id, version, spu_id: x, action: 'remove' }));
    out.snapshots.push(JSON.stringify({ pool_id: s.pool_id, version, spu_ids: next }));
    pools.set(poolKey, { version, set: next });
  }
  return out;
}

/** Starts the SPU search server on port 0; resolves with its URL. */
async function startServer(catalog: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'jobs/product-selection/server.ts', '--catalog', catalog, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const message = JSON.parse(line) as { msg?: string; url?: string };
    if (message.msg === 'listening' && message.url) return { child, url: message.url };
  }
  throw new Error('the SPU search server exited before it listened');
}

/**
 * A search service of 150 SPUs per category (ids 1..150): category `broken` fails page 2 with a 500
 * every time; category `slow` answers its first request for page 1 after 2.5 s.
 */
async function flakyService(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  let slowOnce = true;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname + url.search);
    const category = url.searchParams.get('category');
    const answer = (body: unknown, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/count') return answer({ count: 150 });
    const page = Number(url.searchParams.get('page'));
    if (category === 'broken' && page === 2) return answer({ error: 'index shard down' }, 500);
    const items = Array.from({ length: page === 1 ? 100 : 50 }, (_, i) => ({ spu_id: (page - 1) * 100 + i + 1 }));
    if (category === 'slow' && page === 1 && slowOnce) {
      slowOnce = false;
      setTimeout(() => answer({ items }), 2_500);
      return;
    }
    answer({ items });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('product-selection on a cluster of 1 JobManager and 2 TaskManagers', () => {
  let cluster: MiniCluster;
  let dir: string;
  let server: { child: ChildProcess; url: string };
  let expected: Expected;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-product-selection-'));
    execFileSync(process.execPath, ['bin/run-ts.js', 'jobs/product-selection/generate.ts', '--seed', '11', '--records', '300', join(dir, 'in')]);
    expected = reference(join(dir, 'in'));
    server = await startServer(join(dir, 'in', 'catalog.jsonl'));
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  }, 120_000);

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases = [
    { p: 1, sp: () => `file:${join(dir, 'in', 'catalog.jsonl')}` },
    { p: 3, sp: () => server.url },
  ];
  for (const { p, sp } of cases) {
    it(`commits the reference snapshots, deltas and malformed lines at p=${p} (sp=${p === 1 ? 'file' : 'http'})`, async () => {
      const out = (name: string) => join(dir, `${name}-${p}`);
      const jobId = await cluster.submit(JOB, p, {
        selections: `file:${join(dir, 'in', 'selections.jsonl')}`,
        sp: sp(),
        deltas: `file:${out('deltas')}`,
        snapshots: `file:${out('snapshots')}`,
        malformed: `file:${out('malformed')}`,
      });
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
      expect(final.failure).toBe('');
      expect(final.state).toBe('FINISHED');
      expect(expected.snapshots.length).toBeGreaterThan(200);
      expect(expected.deltas.length).toBeGreaterThan(1000);
      expect(expected.snapshots.some((s) => (JSON.parse(s) as { spu_ids: Id[] }).spu_ids.length > 100)).toBe(true);
      const lines = (name: string) => readCommittedOutput(out(name)).map((r) => JSON.stringify(r)).sort();
      expect(lines('snapshots')).toEqual([...expected.snapshots].sort());
      expect(lines('deltas')).toEqual([...expected.deltas].sort());
      expect(readCommittedOutput<{ raw: string }>(out('malformed')).map((m) => m.raw).sort()).toEqual([...expected.malformedRaw].sort());
    }, 180_000);
  }

  it('sends a selection whose page fails for good to malformed, retries a slow page, and keeps running', async () => {
    const service = await flakyService();
    try {
      const upsert = (ts: number, pool_id: string, category: string) => JSON.stringify({ ts, pool_id, op: 'upsert', features: { category, price_min_cents: 0, price_max_cents: 1, min_sales: 0 } });
      const broken = upsert(2, 'a', 'broken');
      writeFileSync(join(dir, 'flaky.jsonl'), [upsert(1, 'a', 'ok'), broken, upsert(3, 'a', 'ok'), upsert(4, 'b', 'slow'), JSON.stringify({ ts: 5, pool_id: 'c', op: 'delete' })].join('\n'));
      const out = (name: string) => join(dir, `flaky-${name}`);
      const jobId = await cluster.submit(JOB, 2, { selections: `file:${join(dir, 'flaky.jsonl')}`, sp: service.url, deltas: `file:${out('deltas')}`, snapshots: `file:${out('snapshots')}`, malformed: `file:${out('malformed')}` });
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
      expect(final.state).toBe('FINISHED');
      const all = Array.from({ length: 150 }, (_, i) => i + 1);
      const snapshots = readCommittedOutput(out('snapshots')).map((r) => JSON.stringify(r)).sort();
      expect(snapshots).toEqual(
        [
          { pool_id: 'a', version: 1, spu_ids: all },
          { pool_id: 'a', version: 2, spu_ids: all },
          { pool_id: 'b', version: 1, spu_ids: all },
          { pool_id: 'c', version: 1, spu_ids: [] },
        ].map((r) => JSON.stringify(r)).sort(),
      );
      const deltas = readCommittedOutput<{ pool_id: string; version: number; action: string }>(out('deltas'));
      expect(deltas.filter((d) => d.pool_id === 'a' && d.version === 1 && d.action === 'add')).toHaveLength(150);
      expect(deltas).toHaveLength(300);
      const malformed = readCommittedOutput<{ input: string; raw: string; error: string }>(out('malformed'));
      expect(malformed).toHaveLength(1);
      expect(malformed[0]).toMatchObject({ input: 'selections', raw: broken });
      expect(malformed[0]!.error).toMatch(/after 4 tries.*500/);
      expect(service.requests.filter((r) => r.startsWith('/search') && r.includes('category=broken') && r.includes('page=2'))).toHaveLength(4);
    } finally {
      service.server.close();
    }
  }, 180_000);
});
