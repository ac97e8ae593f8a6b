/**
 * price-monitor on real processes at p=1 and p=3: the generator's reference table and listings
 * (two files) through the job, alerts, unmatched listings and the malformed count compared with the
 * independent reference of `pipeline-price-monitor-reference.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';
import { canonical, generateWithReference, JOB, type Expected } from './pipeline-price-monitor-reference.ts';

describe('price-monitor on a cluster of 1 JobManager and 2 TaskManagers', () => {
  let cluster: MiniCluster;
  let dir: string;
  let expected: Expected;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-price-monitor-'));
    expected = generateWithReference(join(dir, 'in'), 5, 2000);
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has a reference with both kinds of alert, unmatched and malformed records', () => {
    expect(expected.alerts.filter((a) => a.includes('"recovered"')).length).toBeGreaterThan(20);
    expect(expected.alerts.filter((a) => a.includes('"violation"')).length).toBeGreaterThan(100);
    expect(expected.unmatched.length).toBeGreaterThan(20);
    expect(expected.malformed).toBeGreaterThan(5);
  });

  for (const p of [1, 3]) {
    it(`commits exactly the reference at p=${p}`, async () => {
      const out = join(dir, `out-${p}`);
      const jobId = await cluster.submit(JOB, p, {
        listings: `file:${join(dir, 'in', 'listings')}`,
        reference: `file:${join(dir, 'in', 'reference.csv')}`,
        alerts: `file:${join(out, 'alerts')}`,
        unmatched: `file:${join(out, 'unmatched')}`,
        malformed: `file:${join(out, 'malformed')}`,
      });
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 180_000);
      expect(final.failure).toBe('');
      expect(final.state).toBe('FINISHED');
      expect(readCommittedOutput(join(out, 'alerts')).map(canonical).sort()).toEqual(expected.alerts);
      expect(readCommittedOutput(join(out, 'unmatched')).map(canonical).sort()).toEqual(expected.unmatched);
      expect(readCommittedOutput(join(out, 'malformed'))).toHaveLength(expected.malformed);
    }, 240_000);
  }
});
