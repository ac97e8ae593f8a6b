/**
 * The checkpoint contracts on the wire, with the serializers grpc-js really uses (the method
 * definitions of the loaded services) and the protobufjs codec of common/rpc/message-codec.ts:
 * every message of proto/checkpoint.proto round-trips unchanged, with edge values (empty and
 * binary entries, ids beyond 32 bits, every enum value), and the codec reads bytes exactly as
 * grpc-js does. Then the whole path of operator state through a checkpoint, in memory: a
 * TaskManager encodes its operators' snapshots into an acknowledgement, the JobManager checks and
 * redistributes the opaque entries into deployments, and a restored TaskManager decodes them into
 * the values the operators snapshotted (NaN, Infinity, binary and Map contents included).
 */
import { describe, expect, it } from 'vitest';
import type { CheckpointMetadata, KeyedStateHandle, OperatorSubtaskState, TaskRestore } from '../../../common/checkpoint/checkpoint-types.ts';
import { keyGroupRangeForOperator } from '../../../common/key-groups.ts';
import type { JobVertex, TaskDeploymentInput } from '../../../common/rpc/index.ts';
import { messageCodec, checkpointMetadataCodec } from '../../../common/rpc/message-codec.ts';
import { controlProto } from '../../../common/rpc/proto.ts';
import { checkAcknowledgement } from '../../../jobmanager/checkpoint/acknowledgement-check.ts';
import { assignTaskRestore } from '../../../jobmanager/checkpoint/state-assignment.ts';
import type { AcknowledgeCheckpointRequest } from '../../../proto/generated/sluice/control/AcknowledgeCheckpointRequest.ts';
import { encodeOperatorState } from '../../../taskmanager/checkpoint/operator-state-codec.ts';
import type { OperatorStateSnapshot } from '../../../taskmanager/operators/stream-operator.ts';
import { restoreOf } from '../../../taskmanager/task/task-restore.ts';

const acknowledge = controlProto.sluice.control.JobManagerService.service.AcknowledgeCheckpoint;
const deploy = controlProto.sluice.control.TaskManagerService.service.DeployTask;

const BIG_ID = 2 ** 40 + 3;

function handle(start: number, end: number, base = 'op'): KeyedStateHandle {
  return {
    keyGroupRange: { start, end },
    files: [
      { path: `shared/${base}-${start}-1-full-ab.kst`, kind: 'FULL', checkpointId: 1, bytes: 4096 },
      { path: `shared/${base}-${start}-${BIG_ID}-delta-cd.kst`, kind: 'DELTA', checkpointId: BIG_ID, bytes: 2 ** 33 },
    ],
  };
}

const subtaskState: OperatorSubtaskState = {
  operatorId: 'keyed-op',
  subtask: 1,
  keyed: handle(64, 127),
  operatorState: {
    splits: { mode: 'SPLIT', entries: [Buffer.from('a'), Buffer.alloc(0), Buffer.of(0x00, 0xff, 0xc1)] },
    pending: { mode: 'UNION', entries: [Buffer.alloc(300, 7)] },
    rules: { mode: 'BROADCAST', entries: [] },
  },
};

const metadata: CheckpointMetadata = {
  jobId: 'job-1',
  checkpointId: BIG_ID,
  isSavepoint: true,
  triggeredAt: 1_700_000_000_123.5,
  completedAt: 1_700_000_000_456.25,
  sizeBytes: 2 ** 40,
  incrementalBytes: 17,
  root: '.',
  operators: [
    { operatorId: 'keyed-op', parallelism: 2, maxParallelism: 128, subtasks: [{ ...subtaskState, subtask: 0, keyed: handle(0, 63) }, subtaskState] },
    { operatorId: 'stateless', parallelism: 2, maxParallelism: 128, subtasks: [] },
  ],
};

const restore: TaskRestore = {
  checkpointId: BIG_ID,
  root: '/checkpoints/job-1',
  operators: [
    { operatorId: 'keyed-op', keyed: [handle(0, 63), handle(64, 127)], operatorState: subtaskState.operatorState },
    { operatorId: 'other', keyed: [], operatorState: {} },
  ],
};

/** A deployment of subtask 1 of a vertex at parallelism 2, with `restore`. */
function deployment(restoreOrNull: TaskRestore | null): TaskDeploymentInput {
  return {
    jobId: 'job-1',
    executionId: 'vertex_1_0',
    vertexId: 'vertex',
    subtask: 1,
    attempt: 0,
    parallelism: 2,
    maxParallelism: 128,
    inputs: [],
    outputs: [],
    slotIndex: 0,
    checkpointing: true,
    checkpointRoot: '/checkpoints/job-1',
    restore: restoreOrNull,
  };
}

describe('checkpoint messages on the wire', () => {
  it.each<[string, object]>([
    ['sluice.checkpoint.KeyGroupRange', { start: 0, end: 32_767 }],
    ['sluice.checkpoint.KeyedStateFile', handle(3, 9).files[1]!],
    ['sluice.checkpoint.KeyedStateHandle', handle(3, 9)],
    ['sluice.checkpoint.OperatorListState', subtaskState.operatorState.splits!],
    ['sluice.checkpoint.OperatorSubtaskState', subtaskState],
    ['sluice.checkpoint.OperatorSubtaskState', { ...subtaskState, keyed: null, operatorState: {} }],
    ['sluice.checkpoint.OperatorCheckpointState', metadata.operators[0]!],
    ['sluice.checkpoint.CheckpointMetadata', metadata],
    ['sluice.checkpoint.OperatorRestoreState', restore.operators[0]!],
    ['sluice.checkpoint.TaskRestore', restore],
  ])('round-trips %s unchanged through protobufjs with the loader options', (typeName, message) => {
    const codec = messageCodec<object, unknown>(typeName);
    expect(codec.decode(codec.encode(message))).toEqual(message);
  });

  it('carries the states of an acknowledgement through the grpc-js serializers unchanged', () => {
    const request: AcknowledgeCheckpointRequest = { jobId: 'job-1', executionId: 'e-1', checkpointId: BIG_ID, states: [subtaskState, { ...subtaskState, operatorId: 'map', keyed: null }], sizeBytes: 8192, incrementalBytes: 10 };
    expect(acknowledge.requestDeserialize(acknowledge.requestSerialize(request))).toEqual(request);
    expect(acknowledge.requestDeserialize(acknowledge.requestSerialize({ jobId: 'job-1' })).states).toEqual([]);
  });

  it('carries the restore of a deployment through the grpc-js serializers, and none for a fresh start', () => {
    expect(deploy.requestDeserialize(deploy.requestSerialize(deployment(restore))).restore).toEqual(restore);
    expect(deploy.requestDeserialize(deploy.requestSerialize(deployment(null))).restore).toBeNull();
  });

  it('decodes exactly as grpc-js does', () => {
    const bytes = acknowledge.requestSerialize({ states: [subtaskState] });
    const viaCodec = messageCodec<object, { states: unknown[] }>('sluice.control.AcknowledgeCheckpointRequest').decode(bytes);
    expect(viaCodec).toEqual(acknowledge.requestDeserialize(bytes));
    expect(checkpointMetadataCodec.decode(checkpointMetadataCodec.encode(metadata))).toEqual(metadata);
  });
});

describe('operator state through a checkpoint', () => {
  const vertex = (parallelism: number): JobVertex => ({
    id: 'vertex',
    name: 'vertex',
    parallelism,
    maxParallelism: 128,
    isSource: false,
    inputs: [],
    operators: [{ id: 'op', uid: 'op', name: 'op', kind: 'process' }],
  });

  /** What old subtask `subtask` of 2 snapshots: values JSON would lose. */
  const snapshot = (subtask: number): OperatorStateSnapshot => ({
    buffered: {
      mode: 'split',
      entries: [
        { subtask, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, negZero: -0.5, bytes: Uint8Array.of(0, 255, subtask), nested: [[1, 'x'], { deep: null }] },
        new Map<string, number>([['count', subtask]]),
      ],
    },
    config: { mode: 'broadcast', entries: [`config@${subtask}`] },
  });

  /** An old subtask's acknowledgement, serialized by grpc-js on its TaskManager and read by the JobManager. */
  function acknowledged(subtask: number): OperatorSubtaskState[] {
    const states: OperatorSubtaskState[] = [{ operatorId: 'op', subtask, keyed: { keyGroupRange: keyGroupRangeForOperator(128, 2, subtask), files: [{ path: `shared/op-${subtask}.kst`, kind: 'FULL', checkpointId: 4, bytes: 10 }] }, operatorState: encodeOperatorState(snapshot(subtask)) }];
    const received = acknowledge.requestDeserialize(acknowledge.requestSerialize({ jobId: 'job-1', executionId: `e-${subtask}`, checkpointId: 4, states, sizeBytes: 10, incrementalBytes: 10 }));
    const check = checkAcknowledgement(received, { checkpointId: 4, subtask, operators: [{ operatorId: 'op', parallelism: 2, maxParallelism: 128 }] });
    if (!check.ok) throw new Error(check.problem);
    return check.states;
  }

  it('hands every restored subtask the values its operator snapshotted, at the same and another parallelism', () => {
    const old: CheckpointMetadata = {
      jobId: 'job-1',
      checkpointId: 4,
      isSavepoint: false,
      triggeredAt: 1,
      completedAt: 2,
      sizeBytes: 20,
      incrementalBytes: 20,
      root: '..',
      operators: [{ operatorId: 'op', parallelism: 2, maxParallelism: 128, subtasks: [...acknowledged(0), ...acknowledged(1)] }],
    };
    const stored = checkpointMetadataCodec.decode(checkpointMetadataCodec.encode(old)) as CheckpointMetadata;
    const source = { metadata: stored, root: '/checkpoints/job-1' };
    const restoredAt = (parallelism: number, subtask: number) => {
      const sent = deployment(assignTaskRestore(source, vertex(parallelism), subtask));
      const received = deploy.requestDeserialize(deploy.requestSerialize({ ...sent, subtask, parallelism }));
      return restoreOf(received)?.get('op');
    };

    const same = restoredAt(2, 1);
    expect(same?.keyed.map((k) => [k.root, k.handle.files[0]!.path])).toEqual([['/checkpoints/job-1', 'shared/op-1.kst']]);
    const [values, counts] = same!.operatorState.buffered as [Record<string, unknown>, unknown];
    expect(values.subtask).toBe(1);
    expect(values.nan).toBeNaN();
    expect(values.inf).toBe(Number.POSITIVE_INFINITY);
    expect(values.negZero).toBe(-0.5);
    expect(values.bytes).toEqual(Buffer.of(0, 255, 1));
    expect(values.nested).toEqual([[1, 'x'], { deep: null }]);
    // The keyed-state dialect decodes maps as plain objects, as keyed state values come back.
    expect(counts).toEqual({ count: 1 });
    expect(same!.operatorState.config).toEqual(['config@0']);

    const single = restoredAt(1, 0);
    expect(single?.keyed.map((k) => k.handle.files[0]!.path)).toEqual(['shared/op-0.kst', 'shared/op-1.kst']);
    const buffered = single!.operatorState.buffered as Record<string, unknown>[];
    expect(buffered).toHaveLength(4);
    expect(buffered.filter((_, i) => i % 2 === 0).map((v) => v.subtask)).toEqual([0, 1]);
    expect(single!.operatorState.config).toEqual(['config@0']);
  });
});

describe('restoreOf', () => {
  const received = (r: TaskRestore): ReturnType<typeof deploy.requestDeserialize> => deploy.requestDeserialize(deploy.requestSerialize(deployment(r)));

  it('is undefined for a fresh start', () => {
    expect(restoreOf(deploy.requestDeserialize(deploy.requestSerialize(deployment(null))))).toBeUndefined();
  });

  it.each<[string, TaskRestore, RegExp]>([
    ['a relative root', { ...restore, root: 'checkpoints' }, /its storage root "checkpoints" is not an absolute path/],
    ['a handle beyond the key groups', { ...restore, operators: [{ ...restore.operators[0]!, keyed: [handle(100, 128)] }] }, /operator "keyed-op": keyed state: key-group range \[100, 128\] is outside the key groups \[0, 127\]/],
    ['a path outside the root', { ...restore, operators: [{ ...restore.operators[0]!, keyed: [{ ...handle(0, 63), files: [{ path: '../x.kst', kind: 'FULL', checkpointId: 1, bytes: 1 }] }] }] }, /state file path "\.\.\/x\.kst" is not inside its storage root/],
  ])('refuses a restore with %s, naming the task', (_what, bad, problem) => {
    expect(() => restoreOf(received(bad))).toThrow(/the restore of task vertex_1_0 is invalid: /);
    expect(() => restoreOf(received(bad))).toThrow(problem);
  });

  it('names the operator and list of an entry that is not MessagePack', () => {
    const bad: TaskRestore = { ...restore, operators: [{ operatorId: 'op', keyed: [], operatorState: { splits: { mode: 'SPLIT', entries: [Buffer.of(0xd9, 5, 0x61)] } } }] };
    expect(() => restoreOf(received(bad))).toThrow(/operator op: entry 0 of operator state "splits" cannot be decoded/);
  });
});
