/**
 * The README's main job, bounded: `scripts/main-job.ts --bounded N` runs order-dashboard over N
 * generated orders (50 ms of event time apart) on the embedded local cluster, prints where each
 * output goes, ends FINISHED with exit 0, and commits one row per closed minute.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCommittedOutput } from '../../client/chaos/committed-output.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-main-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run start:bounded', () => {
  it('runs order-dashboard over generated orders to FINISHED', async () => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'scripts/main-job.ts', '--bounded', '3000', '--out', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stdout).toContain(`totals -> ${join(dir, 'totals')}/`);
    expect(stdout).toMatch(/FINISHED \(records in 3000, /);
    expect(code).toBe(0);
    // 3000 orders 50 ms apart from a minute boundary: 150 s of event time, three minutes.
    const minutes = readCommittedOutput<{ window_start: number }>(join(dir, 'minute_sales'));
    expect(minutes.map((m) => m.window_start).sort()).toEqual([1_767_225_600_000, 1_767_225_660_000, 1_767_225_720_000]);
    const totals = readCommittedOutput<{ as_of: number; quantity: number }>(join(dir, 'totals')).sort((a, b) => a.as_of - b.as_of);
    expect(totals).toHaveLength(3);
    expect(totals[2]!.quantity).toBeGreaterThan(totals[0]!.quantity);
  }, 300_000);
});
