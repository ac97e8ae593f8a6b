/**
 * A network partition on real processes. One TaskManager runs in a network namespace of its own,
 * joined to the others by a veth pair the test makes; the JobManager and the other TaskManagers
 * listen on the veth's address in this namespace, so that all traffic stays on this machine.
 * Mid-job the link is cut: the JobManager declares the TaskManager lost and the job recovers on
 * the others; the cut-off TaskManager, hearing nothing for the heartbeat timeout, cancels its
 * tasks by itself. When the link returns it registers again, and its stale attempt commits
 * nothing: the committed output equals a failure-free run's, record for record.
 *
 * Needs root and iproute2's `ip netns`; skips with the reason otherwise, and fails instead under
 * SLUICE_REQUIRE_SERVICES=1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../client/cluster-client.ts';
import { prepareJob } from '../../client/cli/prepare-job.ts';
import { killProcess, spawnSluice, type ClusterProcess } from '../../client/local-cluster.ts';
import { credentialFlags, LocalCredentials } from '../../client/local-credentials.ts';
import type { JobStatus } from '../../common/rpc/index.ts';
import { readCommittedOutput } from '../../client/chaos/committed-output.ts';
import { createNamespacedLink, netnsUnavailableReason, type NamespacedLink } from '../support/netns.ts';
import { waitFor } from '../support/wait-for.ts';

const JOB = 'test/jobs/poison';
const HEARTBEAT_INTERVAL_MS = 250;
const HEARTBEAT_TIMEOUT_MS = 2_000;
const RECORDS = 12_000;
const CUT_OFF_ID = 'tm-cut-off';
/**
 * How long after its last answer the cut-off TaskManager may take to cancel its tasks: the
 * heartbeat timeout and then some for a busy machine. A TaskManager that waited for its hanging
 * heartbeat call to fail instead (TCP gives up after about 8 s here) takes longer.
 */
const CANCEL_BOUND_MS = HEARTBEAT_TIMEOUT_MS + 3_000;

const unavailable = netnsUnavailableReason();
const required = process.env.SLUICE_REQUIRE_SERVICES === '1';
if (unavailable !== undefined && !required) console.log(`network-partition.test.ts skipped: ${unavailable}`);

/** A started process and the JSON log lines it wrote to stderr since it was ready. */
interface LoggedProcess extends ClusterProcess {
  readonly logs: Record<string, unknown>[];
}

/** Keeps the JSON log lines of a process started with its stderr piped. */
function logged(process: ClusterProcess): LoggedProcess {
  const logs: Record<string, unknown>[] = [];
  if (process.child.stderr) {
    createInterface({ input: process.child.stderr }).on('line', (line) => {
      if (globalThis.process.env.SLUICE_TEST_LOGS) globalThis.process.stderr.write(`${line}\n`);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    });
  }
  return { ...process, logs };
}

describe.skipIf(unavailable !== undefined && !required)('a TaskManager cut off by a network partition', () => {
  let link: NamespacedLink | undefined;
  let dir = '';
  let credentials: LocalCredentials;
  let client: ClusterClient | undefined;
  let jobManagerAddress = '';
  const processes: LoggedProcess[] = [];

  /** Starts a TaskManager with one slot on `host`, in the namespace when `launcher` says so. */
  async function startTaskManager(id: string, host: string, launcher: readonly string[] = []): Promise<LoggedProcess> {
    const files = await credentials.issue({ role: 'taskmanager', id }, id, [host]);
    const args = ['taskmanager', '--jobmanager', jobManagerAddress, '--host', host, '--slots', '1', '--data-dir', join(dir, id), ...credentialFlags(files)];
    const tm = logged(await spawnSluice(args, 'ignore', launcher));
    processes.push(tm);
    return tm;
  }

  beforeAll(async () => {
    if (unavailable !== undefined) throw new Error(`this test needs network namespaces (SLUICE_REQUIRE_SERVICES=1), but ${unavailable}`);
    link = createNamespacedLink();
    dir = mkdtempSync(join(tmpdir(), 'sluice-partition-'));
    credentials = await LocalCredentials.create(join(dir, 'security'));
    const host = link.hostAddress;
    const files = await credentials.issue({ role: 'jobmanager' }, 'jobmanager', [host]);
    const jobManager = logged(
      await spawnSluice(
        [
          'jobmanager', '--host', host, '--port', '0', '--rest-port', '0', '--data-dir', join(dir, 'jobmanager'),
          '--heartbeat-interval', String(HEARTBEAT_INTERVAL_MS), '--heartbeat-timeout', String(HEARTBEAT_TIMEOUT_MS),
          ...credentialFlags(files), '--auth-token-file', credentials.tokenFile,
        ],
        'ignore',
      ),
    );
    processes.push(jobManager);
    jobManagerAddress = `${host}:${jobManager.ready.port}`;
    await startTaskManager('tm-a', host);
    await startTaskManager(CUT_OFF_ID, link.namespaceAddress, [...link.launcher, 'env', 'SLUICE_LOG_LEVEL=debug']);
    client = new ClusterClient(jobManagerAddress, credentials.clientSecurity());
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await Promise.all(processes.map((p) => killProcess(p.child, 'SIGKILL')));
    try {
      link?.destroy();
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Submits the test job at p=2 with checkpoints every 200 ms. */
  async function submit(args: Record<string, string>): Promise<string> {
    const prepared = await prepareJob(JOB, 2, args);
    return client!.submit(prepared.plan.jobGraph, prepared.bundle, { settings: { checkpointIntervalMs: 200 } });
  }

  function status(jobId: string): Promise<JobStatus> {
    return client!.status(jobId);
  }

  async function finished(jobId: string): Promise<JobStatus> {
    const final = await waitFor(async () => {
      const s = await status(jobId);
      return ['FINISHED', 'FAILED', 'CANCELED'].includes(s.state) ? s : undefined;
    }, `job ${jobId} to end`, 60_000);
    expect(final.state, final.failure).toBe('FINISHED');
    return final;
  }

  /** The committed rows of a file output, as sorted JSON lines. */
  function committed(out: string): string[] {
    return readCommittedOutput(out)
      .map((r) => JSON.stringify(r))
      .sort();
  }

  it('recovers on the others, the cut-off TaskManager cancels its tasks by itself, and its stale attempt commits nothing', async () => {
    const cutOff = processes.find((p) => p.ready.id === CUT_OFF_ID)!;
    expect(cutOff).toBeDefined();

    // The failure-free reference, over the same link.
    const referenceOut = join(dir, 'reference');
    const reference = await submit({ count: String(RECORDS), out: `file:${referenceOut}` });
    expect((await finished(reference)).restarts).toBe(0);
    const expected = committed(referenceOut);
    expect(expected).toHaveLength(RECORDS);

    const out = join(dir, 'out');
    const jobId = await submit({ count: String(RECORDS), rate: '600', out: `file:${out}` });
    const before = await waitFor(async () => {
      const s = await status(jobId);
      return s.state === 'RUNNING' && s.tasks.every((t) => t.state === 'RUNNING') && (s.checkpoints?.completed ?? 0) >= 2 ? s : undefined;
    }, 'the job running with two checkpoints');
    const staleTasks = before.tasks.filter((t) => t.taskmanagerId === CUT_OFF_ID);
    expect(staleTasks.length).toBeGreaterThan(0);
    // A spare to recover on; a TaskManager is registered once it is ready.
    await startTaskManager('tm-c', link!.hostAddress);

    const cutAt = Date.now();
    link!.cut();

    // The JobManager gives the TaskManager up and runs the job on the others.
    const recovered = await waitFor(async () => {
      const s = await status(jobId);
      return s.state === 'RUNNING' && s.restarts >= 1 && s.tasks.every((t) => t.attempt > 0 && t.state === 'RUNNING') ? s : undefined;
    }, 'the job to run again without the cut-off TaskManager', 45_000);
    expect(recovered.tasks.some((t) => t.taskmanagerId === CUT_OFF_ID)).toBe(false);
    expect(recovered.lastFailure).toContain(`TaskManager ${CUT_OFF_ID}`);
    expect(recovered.lastFailure).toContain('heartbeat timed out');

    // The cut-off TaskManager, still cut off, cancelled its tasks once the heartbeat timeout passed.
    const timedOut = await waitFor(() => cutOff.logs.find((l) => l.msg === 'JobManager heartbeat timed out; cancelling tasks and re-registering'), 'the cut-off TaskManager to give up on the JobManager', 30_000);
    expect(timedOut.silentMs as number).toBeGreaterThanOrEqual(HEARTBEAT_TIMEOUT_MS);
    expect(timedOut.silentMs as number).toBeLessThan(CANCEL_BOUND_MS);
    expect(Date.parse(timedOut.time as string)).toBeGreaterThanOrEqual(cutAt);
    await waitFor(() => cutOff.logs.filter((l) => l.msg === 'task state' && l.state === 'CANCELED').length === staleTasks.length, `its ${staleTasks.length} tasks cancelled`, 30_000);

    link!.restore();
    await waitFor(() => cutOff.logs.some((l) => l.msg === 'registered at the JobManager'), 'the cut-off TaskManager registered again', 45_000);

    const final = await finished(jobId);
    expect(final.restarts).toBeGreaterThanOrEqual(1);
    expect(committed(out)).toEqual(expected);
    expect(cutOff.logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  }, 120_000);
});
