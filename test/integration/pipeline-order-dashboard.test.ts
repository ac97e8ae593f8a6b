/**
 * order-dashboard on real processes at p=1 and p=3: the generator's orders (late and malformed
 * ones included) through the job, every committed output compared with the independent reference
 * of `pipeline-order-dashboard-reference.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';
import { canonical, generateWithReference, JOB, OUTPUTS, type Outputs } from './pipeline-order-dashboard-reference.ts';

describe('order-dashboard on a cluster of 1 JobManager and 2 TaskManagers', () => {
  let cluster: MiniCluster;
  let dir: string;
  let expected: Outputs;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-order-dashboard-'));
    expected = generateWithReference(join(dir, 'in'), 11, 3000);
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has a reference with late and malformed orders and several windows', () => {
    expect(expected.minute_sales.length).toBeGreaterThan(20);
    expect(expected.gender_10min.length).toBeGreaterThan(2);
    expect(expected.malformed.length).toBeGreaterThan(100);
    expect(expected.late.length).toBeGreaterThan(50);
  });

  for (const p of [1, 3]) {
    it(`commits exactly the reference at p=${p}`, async () => {
      const outDir = join(dir, `out-${p}`);
      const args = Object.fromEntries([['orders', `file:${join(dir, 'in', 'orders.jsonl')}`], ...OUTPUTS.map((name) => [name, `file:${join(outDir, name)}`])]);
      const jobId = await cluster.submit(JOB, p, args);
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 180_000);
      expect(final.failure).toBe('');
      expect(final.state).toBe('FINISHED');
      for (const name of OUTPUTS) {
        const rows = readCommittedOutput(join(outDir, name));
        if (name === 'malformed') {
          expect(rows).toHaveLength(expected.malformed.length);
          expect(rows.every((r) => r.input === 'orders' && typeof r.raw === 'string' && typeof r.error === 'string')).toBe(true);
        } else {
          expect(rows.map(canonical).sort(), name).toEqual(expected[name]);
        }
      }
    }, 240_000);
  }
});
