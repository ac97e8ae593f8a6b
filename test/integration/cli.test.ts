/** The `sluice` CLI against a real cluster: output, exit codes and error messages. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killProcess, spawnSluice } from '../../client/local-cluster.ts';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';

const SAMPLE = 'jobs/examples/key-routing/data/sample.jsonl';

/** The environment that hands the test cluster's CA and token to the CLI. */
let credentials: Record<string, string> = {};

/** Runs the CLI and resolves with its exit code and output. */
function sluice(args: string[], env: Record<string, string | undefined> = credentials): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/sluice.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SLUICE_LOG_LEVEL: 'error', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('sluice CLI', () => {
  let cluster: MiniCluster;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
    cluster = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 2, jobManagerArgs: ['--slot-timeout', '1500'] });
    const files = cluster.local.clientCredentialFiles!;
    credentials = { SLUICE_TLS_CA: files.tlsCa, SLUICE_AUTH_TOKEN_FILE: files.authTokenFile };
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a job, waits for it, and reports it in list and status', async () => {
    const out = join(dir, 'out');
    const run = await sluice(['run', 'jobs/examples/key-routing', '-p', '2', '-m', cluster.address, '--', `in=file:${SAMPLE}`, `out=file:${out}`]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const jobId = /^Job has been submitted with JobID ([0-9a-f]{32})$/m.exec(run.stdout)?.[1];
    expect(jobId).toBeDefined();
    expect(readCommittedOutput(out)).toHaveLength(1000);

    const status = await sluice(['status', jobId!, '-m', cluster.address, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).state).toBe('FINISHED');

    const list = await sluice(['list', '-m', cluster.address, '--json']);
    expect(JSON.parse(list.stdout).jobs.map((j: { jid: string }) => j.jid)).toContain(jobId);
  });

  it('submits detached and cancels', async () => {
    const run = await sluice(['run', 'test/jobs/datagen-keyed', '-d', '-m', cluster.address, '--', 'rate=100', `out=file:${join(dir, 'cancel-out')}`]);
    expect(run.code).toBe(0);
    const jobId = /JobID ([0-9a-f]{32})/.exec(run.stdout)![1]!;
    await cluster.waitForState(jobId, ['RUNNING']);
    const cancel = await sluice(['cancel', jobId, '-m', cluster.address]);
    expect(cancel.code).toBe(0);
    expect((await cluster.waitForState(jobId, ['CANCELED', 'FAILED'])).state).toBe('CANCELED');
  });

  it('prints the plan with info', async () => {
    const info = await sluice(['info', 'jobs/examples/key-routing', '-p', '3', '--json', '--', 'in=file:x.jsonl', 'out=file:out']);
    expect(info.code).toBe(0);
    const plan = JSON.parse(info.stdout);
    expect(plan.vertices.map((v: { parallelism: number }) => v.parallelism)).toEqual([3, 3]);
    expect(plan.vertices[1].inputs[0].partitioning).toBe('HASH');
  });

  it('names too large a bundle and exits non-zero', async () => {
    const jm = await spawnSluice(['jobmanager', '--port', '0', '--rest-port', '0', '--max-bundle-bytes', '1000', '--data-dir', join(dir, 'small-jm'), '--insecure'], 'ignore');
    try {
      const res = await sluice(['run', 'jobs/examples/key-routing', '-d', '-m', `127.0.0.1:${jm.ready.port}`, '--insecure', '--', `in=file:${SAMPLE}`, 'out=file:out']);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/bundle too large: \d+ bytes, the limit is 1000 bytes/);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await killProcess(jm.child, 'SIGTERM');
    }
  });

  it('refuses a client without credentials, and one with a wrong token, naming why', async () => {
    const none = await sluice(['list', '-m', cluster.address], { SLUICE_TLS_CA: credentials.SLUICE_TLS_CA });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no credentials: pass --auth-token-file/);
    const wrongToken = join(dir, 'wrong-token');
    writeFileSync(wrongToken, 'not-the-token-of-this-cluster\n');
    const wrong = await sluice(['cancel', 'ffffffffffffffffffffffffffffffff', '-m', cluster.address], { SLUICE_TLS_CA: credentials.SLUICE_TLS_CA, SLUICE_AUTH_TOKEN_FILE: wrongToken });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/refused the credentials: \/sluice\.control\.JobManagerService\/CancelJob: the token is not this cluster’s/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
    const plaintext = await sluice(['list', '-m', cluster.address, '--insecure'], {});
    expect(plaintext.code).not.toBe(0);
    expect(plaintext.stderr).toMatch(/JobManager unreachable/);
  });

  const errorCases: Array<[string, () => string[], RegExp]> = [
    ['an unreachable JobManager', () => ['list', '-m', '127.0.0.1:1'], /JobManager unreachable at 127\.0\.0\.1:1/],
    ['an unknown job id', () => ['status', 'ffffffffffffffffffffffffffffffff', '-m', cluster.address], /unknown job id ffffffffffffffffffffffffffffffff/],
    ['an invalid graph', () => ['run', 'test/jobs/invalid-graph', '-m', cluster.address], /duplicate uid "same"/],
    ['no free slots', () => ['run', 'jobs/examples/key-routing', '-p', '3', '-m', cluster.address, '--', `in=file:${SAMPLE}`, `out=file:${join(dir, 'x')}`], /no free slots/],
  ];
  for (const [what, args, message] of errorCases) {
    it(`names ${what} and exits non-zero without a stack trace`, async () => {
      const res = await sluice(args());
      expect(res.code).not.toBe(0);
      expect(res.stderr + res.stdout).toMatch(message);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
