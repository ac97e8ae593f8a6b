/**
 * Commits fenced by attempt, on the JobManager against fake TaskManagers (FakeCluster, no
 * sockets). A TaskManager is lost with a checkpoint in flight and the job restarts on the others:
 * every checkpoint notification names the attempt that took the checkpoint, so that a TaskManager
 * hands it to that attempt's tasks only; an acknowledgement or a decline from an execution of
 * the abandoned attempt is refused with FAILED_PRECONDITION naming the execution and the current
 * attempt, adds nothing to the current attempt's checkpoint and does not abort it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { OperatorSubtaskState } from '../../../common/checkpoint/checkpoint-types.ts';
import type { JobGraph, JobVertex } from '../../../common/rpc/index.ts';
import { FakeCluster, waitFor } from '../../support/fakes/fake-taskmanager-gateway.ts';

let cluster: FakeCluster | undefined;
const dirs: string[] = [];

afterEach(() => {
  cluster?.close();
  cluster = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function vertex(id: string, isSource: boolean, inputs: JobVertex['inputs'] = []): JobVertex {
  return { id, name: id, parallelism: 2, maxParallelism: 128, isSource, inputs, operators: [{ id: `op-${id}`, uid: '', name: id, kind: isSource ? 'source' : 'sink' }] };
}

/** src (2) -FORWARD-> sink (2): subtask i of both in slot i. */
function graph(): JobGraph {
  return {
    name: 'fenced',
    defaultParallelism: 2,
    args: {},
    vertices: [vertex('src', true), vertex('sink', false, [{ id: 'src->sink#0', sourceVertexId: 'src', partitioner: 'FORWARD', keyOperatorId: '', inputIndex: 0 }])],
  };
}

function stateOf(vertexId: string, subtask: number): OperatorSubtaskState[] {
  return [{ operatorId: `op-${vertexId}`, subtask, keyed: null, operatorState: {} }];
}

/** Runs `fn` and returns the error it throws. */
function thrown(fn: () => void): { code?: number; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: number; message: string };
  }
  throw new Error('expected a throw');
}

describe('commits fenced by attempt', () => {
  it('notifies each checkpoint with its attempt and refuses acknowledgements and declines of the abandoned attempt', async () => {
    const checkpointDir = mkdtempSync(join(tmpdir(), 'sluice-fencing-'));
    dirs.push(checkpointDir);
    const c = new FakeCluster({ confirmCancels: true, checkpointDir, heartbeatTimeoutMs: 5_000 });
    cluster = c;
    c.registerTaskManager('tm-1', 1);
    c.registerTaskManager('tm-2', 1);
    const jobId = c.submit(graph(), 16, { checkpoint: { intervalMs: 10, timeoutMs: 60_000 }, restartStrategy: 'fixed-delay:attempts=3,delay=10' });
    const master = c.job(jobId);
    const triggered = (id: number) => c.gateways.some((g) => g.triggers.some((t) => t.barrier.checkpointId === id));
    const ackAll = (checkpointId: number) => {
      for (const e of master.executionGraph.executions) c.dispatcher.acknowledgeCheckpoint(jobId, e.id, checkpointId, stateOf(e.vertex.id, e.subtask), 10, 10);
    };
    await waitFor(() => master.executionGraph.executions.every((e) => e.state === 'DEPLOYING'), 'attempt 0 deployed');
    c.reportAll(jobId, 'RUNNING');

    await waitFor(() => triggered(1), 'checkpoint 1 triggered');
    ackAll(1);
    await waitFor(() => master.checkpoints.latest?.checkpointId === 1, 'checkpoint 1 completed');
    await waitFor(() => triggered(2), 'checkpoint 2 triggered');
    const tm2 = c.gatewayOf('tm-2');
    const staleOnTm2 = master.executionGraph.executions.filter((e) => e.slot?.taskManager.id === 'tm-2').map((e) => e.id);
    expect(staleOnTm2).toHaveLength(2);

    // tm-2 is cut off: its heartbeats stop, the JobManager declares it lost with checkpoint 2 in flight.
    c.clock.advance(3_000);
    c.heartbeat('tm-1');
    c.clock.advance(2_001);
    c.registry.checkHeartbeats();
    expect(master.state).toBe('FAILING');
    c.registerTaskManager('tm-3', 1);
    await waitFor(() => master.state === 'RUNNING' && master.attempt === 1 && master.executionGraph.executions.every((e) => e.state === 'DEPLOYING'), 'attempt 1 deployed');
    c.reportAll(jobId, 'RUNNING');
    await waitFor(() => triggered(3), 'checkpoint 3 triggered');

    // The abandoned attempt's acknowledgement of the new checkpoint and of its own aborted one.
    for (const checkpointId of [3, 2]) {
      const refused = thrown(() => c.dispatcher.acknowledgeCheckpoint(jobId, staleOnTm2[0]!, checkpointId, stateOf('src', 1), 10, 10));
      expect(refused.code).toBe(status.FAILED_PRECONDITION);
      expect(refused.message).toBe(`execution ${staleOnTm2[0]} is not a task of attempt 1 of job ${jobId}: its acknowledgement of checkpoint ${checkpointId} is refused`);
    }
    const declined = thrown(() => c.dispatcher.declineCheckpoint(jobId, staleOnTm2[1]!, 3, 'stale'));
    expect(declined.code).toBe(status.FAILED_PRECONDITION);
    expect(declined.message).toBe(`execution ${staleOnTm2[1]} is not a task of attempt 1 of job ${jobId}: its decline of checkpoint 3 is refused`);
    expect(master.checkpoints.counts.inProgress).toBe(1);
    expect(c.logs.filter((r) => r.msg === 'checkpoint aborted' && r.checkpoint === 3)).toEqual([]);

    ackAll(3);
    await waitFor(() => master.checkpoints.latest?.checkpointId === 3, 'checkpoint 3 completed');
    await waitFor(() => c.gatewayOf('tm-3').notifications.some((n) => n.checkpointId === 3), 'checkpoint 3 notified');
    expect(tm2.notifications).toEqual([
      { jobId, attempt: 0, checkpointId: 1, completed: true },
      { jobId, attempt: 0, checkpointId: 2, completed: false },
    ]);
    expect(c.gatewayOf('tm-1').notifications).toEqual([
      { jobId, attempt: 0, checkpointId: 1, completed: true },
      { jobId, attempt: 0, checkpointId: 2, completed: false },
      { jobId, attempt: 1, checkpointId: 3, completed: true },
    ]);
    expect(c.gatewayOf('tm-3').notifications).toEqual([{ jobId, attempt: 1, checkpointId: 3, completed: true }]);
    expect(c.logs.filter((r) => r.msg === 'acknowledgement from a stale attempt refused')).toHaveLength(2);
  });
});
