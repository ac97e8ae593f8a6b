/**
 * inventory-alert on real processes at p=1 and p=3: the generator's files through the job, the
 * committed alerts, late records and malformed count compared with the independent reference of
 * `pipeline-inventory-alert-reference.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';
import { canonical, generateWithReference, JOB, jobArgs, type Expected } from './pipeline-inventory-alert-reference.ts';

describe('inventory-alert on a cluster of 1 JobManager and 2 TaskManagers', () => {
  let cluster: MiniCluster;
  let dir: string;
  let expected: Expected;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-inventory-alert-'));
    expected = generateWithReference(join(dir, 'in'), 5, 3000);
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has a reference with every kind of alert, late and malformed records', () => {
    for (const level of ['OUT_OF_STOCK', 'LOW_STOCK', 'RECOVERED']) expect(expected.alerts.filter((a) => a.includes(`"${level}"`)).length, level).toBeGreaterThan(5);
    for (const rule of ['"sku"', '"cate_brand"']) expect(expected.alerts.filter((a) => a.includes(rule)).length, rule).toBeGreaterThan(5);
    expect(expected.alerts.filter((a) => a.includes('"P1"')).length).toBeGreaterThan(0);
    expect(expected.alerts.filter((a) => a.includes('"P2"')).length).toBeGreaterThan(0);
    expect(expected.late.length).toBeGreaterThan(10);
    expect(expected.malformed).toBeGreaterThan(10);
  });

  for (const p of [1, 3]) {
    it(`commits exactly the reference at p=${p}`, async () => {
      const out = join(dir, `out-${p}`);
      const jobId = await cluster.submit(JOB, p, jobArgs(join(dir, 'in'), out));
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 180_000);
      expect(final.failure).toBe('');
      expect(final.state).toBe('FINISHED');
      expect(readCommittedOutput(join(out, 'alerts')).map(canonical).sort()).toEqual(expected.alerts);
      expect(readCommittedOutput(join(out, 'late')).map(canonical).sort()).toEqual(expected.late);
      expect(readCommittedOutput(join(out, 'malformed'))).toHaveLength(expected.malformed);
    }, 240_000);
  }
});
