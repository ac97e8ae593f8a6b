/**
 * `sluice chaos` end to end through bin/sluice.js: word-count over a small rate-limited input
 * survives a TaskManager kill with every output equal to the failure-free run (exit 0), and a job
 * whose sink appends outside transactions is caught duplicating (exit 1); it runs on one TaskManager,
 * so that the kill hits the sink.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-chaos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `sluice chaos ...` to its end; resolves with its exit code and output. */
function chaos(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/sluice.js', 'chaos', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A JSONL input of `n` texts over 97 distinct words. */
function input(name: string, n: number): string {
  const path = join(dir, name);
  writeFileSync(path, `${Array.from({ length: n }, (_, i) => JSON.stringify({ text: `w${i % 97} w${i % 13}` })).join('\n')}\n`);
  return path;
}

describe('sluice chaos', () => {
  it('reports word-count exactly once through a TaskManager kill and exits 0', async () => {
    const r = await chaos(['jobs/examples/word-count', '-p', '2', '--kills', '1', '--checkpoint-interval', '300', '--', `in=file:${input('words.jsonl', 3_000)}?rate=400`, `out=file:${join(dir, 'out')}`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Kills: 1 TaskManager, 0 JobManager');
    expect(r.stdout).toContain('  out: records 97, committed 97, lost 0, duplicated 0, unexpected 0');
    expect(r.stdout).toContain('Exactly once: every output equals the failure-free run.');
    expect(r.code).toBe(0);
  }, 300_000);

  it('catches a sink that duplicates on restart and exits 1', async () => {
    const r = await chaos(['test/jobs/duplicating-sink', '--taskmanagers', '1', '--kills', '1', '--checkpoint-interval', '300', '--', `in=file:${input('records.jsonl', 4_000)}?rate=500`, `out=file:${join(dir, 'dup')}`]);
    const line = /^ {2}out: records (\d+), committed (\d+), lost (\d+), duplicated (\d+), unexpected (\d+)$/m.exec(r.stdout);
    expect(line, r.stdout).not.toBeNull();
    const [records, committed, lost, duplicated] = line!.slice(1).map(Number) as [number, number, number, number];
    expect(records).toBe(4_000);
    expect(lost).toBe(0);
    expect(duplicated).toBeGreaterThan(0);
    expect(committed).toBe(records + duplicated);
    expect(r.stdout).toContain('FAILED: output out differs from the failure-free run');
    expect(r.code).toBe(1);
  }, 300_000);
});
