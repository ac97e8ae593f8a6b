/**
 * Queryable state end to end: inventory-alert runs on real processes with its stock and page views
 * replayed at a bounded rate; a SKU's level and both rule tables are read over the JobManager's
 * REST API (HTTPS with the cluster token), answered by the subtask that owns the key's key group;
 * an unknown key and an unknown state name are 404s naming them; after a rescale to p=3 the answer
 * comes from the new owner.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignToKeyGroup, computeOperatorIndexForKeyGroup, type KeyValue } from '../../common/key-groups.ts';
import { getUrl } from '../support/http-get.ts';
import { MiniCluster } from '../support/mini-cluster.ts';
import { waitFor } from '../support/wait-for.ts';
import { generateWithReference, JOB, jobArgs } from './pipeline-inventory-alert-reference.ts';

interface Answer {
  name: string;
  key: KeyValue;
  value: Record<string, unknown>;
  vertex: string;
  subtask: number;
  taskmanager: string;
}

interface JobDetails {
  vertices: { name: string; parallelism: number; maxParallelism: number; subtasks: { subtask: number; attempt: number; status: string; 'taskmanager-id': string }[] }[];
}

describe('queryable state of inventory-alert over REST', () => {
  let cluster: MiniCluster;
  let dir: string;
  let jobId: string;
  let skus: number[];
  let ruleKey: { sku: number; threshold: number };
  let cateKey: string;

  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const reply = await getUrl(`${cluster.local.restUrl}${path}`, cluster.local.clientSecurity);
    return { status: reply.status, body: JSON.parse(reply.body) as Record<string, unknown> };
  };

  /** Checks that an answer came from the subtask and TaskManager that own its key now. */
  const expectOwner = async (answer: Answer, parallelism: number): Promise<void> => {
    const details = await cluster.rest<JobDetails>(`/jobs/${jobId}`);
    const vertex = details.vertices.find((v) => v.name === answer.vertex);
    expect(vertex, answer.vertex).toBeDefined();
    expect(vertex!.parallelism).toBe(parallelism);
    const owner = computeOperatorIndexForKeyGroup(vertex!.maxParallelism, vertex!.parallelism, assignToKeyGroup(answer.key, vertex!.maxParallelism));
    expect(answer.subtask).toBe(owner);
    expect(answer.taskmanager).toBe(vertex!.subtasks.find((s) => s.subtask === owner)?.['taskmanager-id']);
  };

  /** Waits until some SKU has a level, and returns the answer. */
  const someLevel = (): Promise<Answer> =>
    waitFor(async () => {
      for (const sku of skus) {
        const { status, body } = await get(`/jobs/${jobId}/state/level/${sku}`);
        if (status === 200) return body as unknown as Answer;
      }
      return undefined;
    }, 'a SKU with a level', 120_000, 200);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-queryable-state-'));
    generateWithReference(join(dir, 'in'), 5, 3000);
    const column = (file: string): string[][] => readFileSync(join(dir, 'in', file), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    skus = column('sku_dim.csv').map((r) => Number(r[0])).filter(Number.isSafeInteger);
    const finalRules = (file: string, changes: string, keyOf: (r: Record<string, unknown>) => string): Map<string, number> => {
      const [header, ...rows] = readFileSync(join(dir, 'in', file), 'utf8').trim().split('\n');
      const names = header!.split(',');
      const rules = new Map<string, number>();
      for (const row of rows) {
        const r = Object.fromEntries(row.split(',').map((cell, i) => [names[i], cell]));
        if (names.every((n) => /^\d+$/.test(r[n] ?? ''))) rules.set(keyOf(r), Number(r.threshold));
      }
      for (const line of readFileSync(join(dir, 'in', changes), 'utf8').trim().split('\n')) {
        let change: { op?: unknown; row?: Record<string, unknown> };
        try {
          change = JSON.parse(line) as typeof change;
        } catch {
          continue;
        }
        const row = change.row;
        if (!row || !['insert', 'update', 'delete'].includes(change.op as string)) continue;
        if (change.op === 'delete') rules.delete(keyOf(row));
        else if (typeof row.threshold === 'number' && typeof row.vender_id === 'number') rules.set(keyOf(row), row.threshold);
      }
      return rules;
    };
    const skuRules = finalRules('sku_rules.csv', 'sku_rule_changes.jsonl', (r) => String(r.sku_id));
    const [sku, threshold] = [...skuRules.entries()][0]!;
    ruleKey = { sku: Number(sku), threshold };
    cateKey = [...finalRules('cate_brand_rules.csv', 'cate_brand_rule_changes.jsonl', (r) => `${r.vender_id},${r.category_id},${r.brand_id}`).keys()][0]!;
    cluster = await MiniCluster.start({ taskManagers: 3, slotsPerTaskManager: 2 });
    const args = jobArgs(join(dir, 'in'), join(dir, 'out'));
    jobId = await cluster.submit(JOB, 2, { ...args, stock: `${args.stock}?rate=60`, pv: `${args.pv}?rate=60` }, { settings: { checkpointIntervalMs: 500 } });
    // The tables' sources finish early, so wait for records rather than for every task to run.
    await waitFor(async () => {
      const status = await cluster.client.status(jobId);
      return status.state === 'RUNNING' && status.recordsIn > 0 ? status : undefined;
    }, 'records flowing', 120_000);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads a SKU level and both rule tables from their owners while the job runs', async () => {
    const level = await someLevel();
    expect(['NONE', 'LOW_STOCK', 'OUT_OF_STOCK']).toContain(level.value.level);
    expect(typeof level.value.total_qty).toBe('number');
    await expectOwner(level, 2);

    const rule = await waitFor(async () => {
      const { status, body } = await get(`/jobs/${jobId}/state/sku_rules/${ruleKey.sku}`);
      return status === 200 ? (body as unknown as Answer) : undefined;
    }, 'the sku rule');
    expect(rule.value).toMatchObject({ sku_id: ruleKey.sku, threshold: ruleKey.threshold });
    const cate = await get(`/jobs/${jobId}/state/cate_brand_rules/${cateKey}`);
    expect(cate.status).toBe(200);
    expect(cate.body.key).toBe(cateKey);
  }, 180_000);

  it('answers 404 naming an unknown key or an unknown state', async () => {
    const unknownKey = await get(`/jobs/${jobId}/state/level/424242`);
    expect(unknownKey.status).toBe(404);
    expect(String((unknownKey.body.errors as string[])[0])).toMatch(/"level" has no value for key 424242/);
    const unknownState = await get(`/jobs/${jobId}/state/nothing-here/1`);
    expect(unknownState.status).toBe(404);
    expect(String((unknownState.body.errors as string[])[0])).toMatch(/no running task declares a queryable state "nothing-here"/);
    expect((await get(`/jobs/unknown-job/state/level/1`)).status).toBe(404);
  });

  it('answers from the new owner after a rescale to p=3', async () => {
    expect(await cluster.client.rescale(jobId, 3)).toContain('savepoint-');
    await waitFor(async () => {
      const s = await cluster.client.status(jobId);
      return s.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.attempt > 0) ? s : undefined;
    }, 'the rescaled attempt running', 120_000);
    const level = await someLevel();
    await expectOwner(level, 3);
  }, 240_000);
});
