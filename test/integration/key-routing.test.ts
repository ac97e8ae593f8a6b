/** key-routing on real processes: every record exactly once, on the subtask the key-group formula names. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from '../../common/key-groups.ts';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';

const JOB = 'jobs/examples/key-routing';

interface Routed {
  key: string | number;
  value: number;
  subtask: number;
  max_parallelism: number;
}

describe('key-routing on a cluster of 1 JobManager and 2 TaskManagers', () => {
  let cluster: MiniCluster;
  let dir: string;
  let input: string;
  const expectedKeys = new Map<number, string | number>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-key-routing-'));
    input = join(dir, 'in.jsonl');
    const lines: string[] = [];
    const keys: Array<string | number> = ['', 'a', 'Ünïcödé', '😀-emoji', -1, 0, 1, 2 ** 31, -(2 ** 40), Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 3000; i++) {
      const key = i < keys.length ? keys[i]! : i % 2 === 0 ? `user-${i % 211}` : (i % 173) - 50;
      expectedKeys.set(i, key);
      lines.push(JSON.stringify({ key, value: i, extra: 'ignored' }));
      if (i % 1000 === 500) lines.push('', '{not json', '{"key": 1.5, "value": -1}', '   ');
    }
    writeFileSync(input, `${lines.join('\n')}\n`);
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const p of [1, 2, 4]) {
    it(`puts every record exactly once on its key group's subtask at p=${p}`, async () => {
      const out = join(dir, `out-${p}`);
      const malformed = join(dir, `malformed-${p}`);
      const jobId = await cluster.submit(JOB, p, { in: `file:${input}`, out: `file:${out}`, malformed: `file:${malformed}` });
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED']);
      expect(final.failure).toBe('');
      expect(final.state).toBe('FINISHED');

      const routed = readCommittedOutput<Routed>(out);
      expect(routed).toHaveLength(expectedKeys.size);
      const seen = new Set<number>();
      for (const r of routed) {
        expect(seen.has(r.value)).toBe(false);
        seen.add(r.value);
        expect(r.key).toEqual(expectedKeys.get(r.value));
        expect(r.max_parallelism).toBe(128);
        expect(r.subtask).toBe(computeOperatorIndexForKeyGroup(128, p, assignToKeyGroup(r.key, 128)));
      }
      if (p > 1) expect(new Set(routed.map((r) => r.subtask)).size).toBe(p);

      const bad = readCommittedOutput<{ input: string; raw: string; error: string }>(malformed);
      expect(bad.map((b) => b.raw).sort()).toEqual([...Array(3)].flatMap(() => ['{"key": 1.5, "value": -1}', '{not json']).sort());
      for (const b of bad) {
        expect(b.input).toBe('in');
        expect(b.error.length).toBeGreaterThan(0);
      }
    });
  }

  it('reports the job in REST and metrics', async () => {
    const overview = await cluster.rest<Record<string, number>>('/overview');
    expect(overview.taskmanagers).toBe(2);
    expect(overview['slots-total']).toBe(4);
    expect(overview['slots-available']).toBe(4);
    expect(overview['jobs-finished']).toBe(3);
    const jobs = await cluster.rest<{ jobs: Array<{ id: string; status: string }> }>('/jobs');
    expect(jobs.jobs).toHaveLength(3);
    const detail = await cluster.rest<{ state: string; vertices: unknown[] }>(`/jobs/${jobs.jobs[0]!.id}`);
    expect(detail.state).toBe('FINISHED');
    expect(detail.vertices.length).toBe(2);
    const tms = await cluster.rest<{ taskmanagers: Array<{ slotsNumber: number }> }>('/taskmanagers');
    expect(tms.taskmanagers.map((t) => t.slotsNumber)).toEqual([2, 2]);
    const metrics = await cluster.text('/metrics');
    expect(metrics).toMatch(/^sluice_jobmanager_num_registered_task_managers 2$/m);
    expect(metrics).toMatch(/^sluice_jobmanager_task_slots_total 4$/m);
    expect(metrics).toMatch(/^sluice_jobmanager_task_slots_available 4$/m);
    expect(metrics).toMatch(/^sluice_jobmanager_num_running_jobs 0$/m);
  });
});
