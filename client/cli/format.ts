/** Human-readable renderings of plans and job states. */
import type { JobPlan } from '../../common/graph/job-plan.ts';
import type { JobStatus } from '../../common/rpc/index.ts';

/** The plan as a JSON-ready object: vertices with their operators and inputs. */
export function planJson(plan: JobPlan): unknown {
  return {
    name: plan.jobGraph.name,
    vertices: plan.jobGraph.vertices.map((v) => ({
      id: v.id,
      name: v.name,
      parallelism: v.parallelism,
      maxParallelism: v.maxParallelism,
      operators: v.operators.map((o) => ({ id: o.id, kind: o.kind, name: o.name, uid: o.uid || undefined })),
      inputs: v.inputs.map((e) => ({ from: e.sourceVertexId, partitioning: e.partitioner })),
    })),
  };
}

/** The plan as text, one vertex per line. */
export function planText(plan: JobPlan): string {
  const names = new Map(plan.jobGraph.vertices.map((v) => [v.id, v.name]));
  const lines = [`Job "${plan.jobGraph.name}"`];
  for (const v of plan.jobGraph.vertices) {
    lines.push(`  [${v.id}] ${v.name}  parallelism=${v.parallelism} maxParallelism=${v.maxParallelism}`);
    for (const e of v.inputs) lines.push(`      <- ${e.partitioner} from ${names.get(e.sourceVertexId)}`);
  }
  return lines.join('\n');
}

/** A job's status as a JSON-ready object. */
export function statusJson(s: JobStatus): unknown {
  return {
    jid: s.jobId,
    name: s.name,
    state: s.state,
    'start-time': s.startTime,
    'end-time': s.endTime || -1,
    failure: s.failure || null,
    'records-in': s.recordsIn,
    'records-out': s.recordsOut,
    restarts: s.restarts,
    'last-failure': s.lastFailure ? { cause: s.lastFailure, time: s.lastFailureTime } : null,
    checkpoints: {
      counts: { completed: s.checkpoints?.completed ?? 0, failed: s.checkpoints?.failed ?? 0, in_progress: s.checkpoints?.inProgress ?? 0 },
      latest: s.checkpoints?.latest
        ? {
            id: s.checkpoints.latest.id,
            savepoint: s.checkpoints.latest.savepoint,
            duration: s.checkpoints.latest.durationMs,
            'state-size': s.checkpoints.latest.sizeBytes,
            'incremental-size': s.checkpoints.latest.incrementalBytes,
            'completed-time': s.checkpoints.latest.completedAt,
            path: s.checkpoints.latest.path,
          }
        : null,
    },
    tasks: s.tasks.map((t) => ({ vertex: t.vertexName, subtask: t.subtask, attempt: t.attempt, state: t.state, taskmanager: t.taskmanagerId || null, failure: t.failure || null })),
  };
}

/** One line per job, like `flink list`. */
export function listLine(s: JobStatus): string {
  const started = new Date(s.startTime).toISOString();
  return `${started} : ${s.jobId} : ${s.name} (${s.state})`;
}

/** The live progress line of `sluice run`. */
export function progressLine(s: JobStatus, elapsedMs: number): string {
  return `${s.state.padEnd(10)} records in ${s.recordsIn}  out ${s.recordsOut}  elapsed ${(elapsedMs / 1000).toFixed(1)}s`;
}
