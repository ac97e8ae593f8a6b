/**
 * Runs one real Task without a TaskManager: its input is either a gate of test channels or a
 * source over a ManualSourceReader, its chain a RecordingOperator (after the source, if any)
 * writing through a real record writer into a real result partition, whose one subpartition a
 * SubpartitionRecorder consumes. Checkpoint acknowledgements and task states go to a
 * FakeJobManagerGateway the way the task executor sends them. No sockets; checkpoints go to a
 * temporary directory that `dispose` removes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { WatermarkStrategySpec } from '../../client/runtime.ts';
import type { ExecutionState } from '../../common/job-state.ts';
import type { Logger } from '../../common/logging.ts';
import type { TaskDeployment } from '../../common/rpc/index.ts';
import { InputGate } from '../../taskmanager/network/input-gate.ts';
import { PartitionManager, partitionKey } from '../../taskmanager/network/partition-manager.ts';
import { ForwardSelector } from '../../taskmanager/network/partitioners.ts';
import { RecordWriter } from '../../taskmanager/network/record-writer.ts';
import { ResultPartition } from '../../taskmanager/network/result-partition.ts';
import { SourceOperator } from '../../taskmanager/operators/source-operator.ts';
import { checkpointResponder } from '../../taskmanager/task-executor.ts';
import { BroadcastingOutput } from '../../taskmanager/task/broadcasting-output.ts';
import { ChainingOutput } from '../../taskmanager/task/chaining-output.ts';
import { GateInput } from '../../taskmanager/task/gate-input.ts';
import { OperatorChain } from '../../taskmanager/task/operator-chain.ts';
import { RecordWriterOutput } from '../../taskmanager/task/record-writer-output.ts';
import { SourceInput } from '../../taskmanager/task/source-input.ts';
import { Task, type TaskParts } from '../../taskmanager/task/task.ts';
import { FakeJobManagerGateway } from './fakes/fake-jobmanager-gateway.ts';
import type { ManualSourceReader, ManualSplit } from './manual-source-reader.ts';
import { RecordingOperator } from './recording-operator.ts';
import { SubpartitionRecorder } from './subpartition-recorder.ts';
import { TestInputChannel } from './test-input-channel.ts';
import { waitFor } from './wait-for.ts';

/** How to run the task under test. */
export interface TaskHarnessOptions {
  /** Input channels of a task fed through its gate (default 1); ignored with `source`. */
  readonly channels?: number;
  /** The logical input each channel feeds (default 0 for all), as for a two-input operator. */
  readonly channelInputs?: readonly number[];
  /** Makes the task a source task reading this reader. */
  readonly source?: ManualSourceReader;
  /** The source's watermark strategy. */
  readonly watermarks?: WatermarkStrategySpec<unknown>;
  /** Whether the job takes checkpoints (then the task waits in FINISHING for a final one). */
  readonly checkpointing?: boolean;
  /** Messages the output consumer grants up front (default 1000). */
  readonly outputCredit?: number;
  /** Batches the output subpartition queues before the task is backpressured (default 1000). */
  readonly maxQueuedBatches?: number;
}

/** A structured log line the task wrote. */
export type TaskLogRecord = Record<string, unknown>;

/** See the module comment. */
export class TaskHarness {
  readonly gateway = new FakeJobManagerGateway();
  readonly logs: TaskLogRecord[] = [];
  /** The task's states in order, with the failure of FAILED. */
  readonly states: { readonly state: ExecutionState; readonly failure: string | undefined }[] = [];
  /** The gate's channels (none for a source task). */
  readonly channels: TestInputChannel[] = [];
  readonly partitions = new PartitionManager({ subscribeTimeoutMs: 1_000, maxPendingSubscriptions: 1 });
  readonly deployment: TaskDeployment;
  readonly task: Task;
  /** Resolves when the task's run ends. */
  readonly done: Promise<void>;
  /** The checkpoint directory of the job. */
  readonly checkpointRoot: string;
  private readonly log: Logger;
  private readonly gate = new InputGate();
  private built: { operator: RecordingOperator; output: SubpartitionRecorder; partition: ResultPartition } | undefined;

  constructor(private readonly options: TaskHarnessOptions = {}) {
    this.checkpointRoot = mkdtempSync(join(tmpdir(), 'sluice-task-'));
    this.log = pino({ level: 'debug' }, { write: (line: string) => void this.logs.push(JSON.parse(line) as TaskLogRecord) });
    if (!options.source) for (let i = 0; i < (options.channels ?? 1); i++) this.channels.push(new TestInputChannel(this.gate, options.channelInputs?.[i] ?? 0));
    this.deployment = {
      jobId: 'job-1',
      executionId: 'job-1_vertex_0_0',
      vertexId: 'vertex',
      subtask: 0,
      attempt: 0,
      parallelism: 1,
      maxParallelism: 128,
      inputs: [],
      outputs: [],
      slotIndex: 0,
      checkpointing: options.checkpointing ?? false,
      checkpointRoot: this.checkpointRoot,
      savepointRoots: [this.checkpointRoot],
      restore: null,
    };
    const deployment = this.deployment;
    this.task = new Task(deployment, 'task under test (1/1)', (task) => this.build(task), (_task, state, failure) => this.onState(state, failure), this.log, checkpointResponder(() => this.gateway, deployment));
    this.done = this.task.run();
  }

  /** The recording operator of the chain; available once the task is RUNNING. */
  get operator(): RecordingOperator {
    return this.parts().operator;
  }

  /** What the task's output consumer received; available once the task is RUNNING. */
  get output(): SubpartitionRecorder {
    return this.parts().output;
  }

  /** The task's result partition; available once the task is RUNNING. */
  get partition(): ResultPartition {
    return this.parts().partition;
  }

  /** Channel `i` of the gate. */
  channel(i: number): TestInputChannel {
    const channel = this.channels[i];
    if (!channel) throw new Error(`the task under test has no input channel ${i}`);
    return channel;
  }

  /** Resolves once the task reached `state`. */
  async whenState(state: ExecutionState): Promise<void> {
    await this.gateway.reachedState(this.deployment.executionId, state);
  }

  /**
   * Resolves once the task ran a mail enqueued now: the task loop went round at least once since,
   * so what it would have done with the input it had, it did.
   */
  roundTrip(): Promise<void> {
    return new Promise((resolve) => this.task.enqueue(resolve));
  }

  /** Waits until `probe` holds, checking it as the task runs. */
  async until(probe: () => boolean, what: string): Promise<void> {
    await waitFor(() => probe(), what, 30_000, 5);
  }

  /** Log lines at `level` (pino's number: 40 warn, 50 error). */
  logsAt(level: number): TaskLogRecord[] {
    return this.logs.filter((r) => r.level === level);
  }

  /** Cancels the task if it still runs, waits for its end and removes the checkpoint directory. */
  async dispose(): Promise<void> {
    this.task.cancel();
    await this.done;
    rmSync(this.checkpointRoot, { recursive: true, force: true });
  }

  private parts(): NonNullable<TaskHarness['built']> {
    if (!this.built) throw new Error('the task under test has not built its chain yet; await whenState("RUNNING") first');
    return this.built;
  }

  private onState(state: ExecutionState, failure: string | undefined): void {
    this.states.push({ state, failure });
    const { jobId, executionId } = this.deployment;
    void this.gateway.updateTaskState({ taskmanagerId: 'tm-test', jobId, executionId, state, failure: failure ?? '', recordsIn: this.task.metrics.recordsIn, recordsOut: this.task.metrics.totalRecordsOut });
  }

  private async build(task: Task): Promise<TaskParts> {
    const { options, log } = this;
    const partition = new ResultPartition(partitionKey('job-1', this.deployment.executionId, 'out'), 1, {
      initialBatchRecords: 4,
      targetBatchBytes: 1 << 20,
      maxQueuedBatches: options.maxQueuedBatches ?? 1_000,
      bufferTimeoutMs: 1,
    });
    const writerOutput = new RecordWriterOutput(new RecordWriter(partition, new ForwardSelector(), true), task.metrics);
    const operator = new RecordingOperator(new BroadcastingOutput([writerOutput], new Map(), log));
    const output = new SubpartitionRecorder(partition.subpartitions[0]!, options.outputCredit ?? 1_000);
    this.built = { operator, output, partition };
    const recorder = { operatorId: 'recorder', operator, backend: undefined };
    const parts = { partitions: [partition], registerPartitions: () => this.partitions.register(partition), unregisterPartitions: () => this.partitions.unregister(partition.key) };
    const reader = options.source;
    if (!reader) return { ...parts, chain: new OperatorChain([recorder], [], new ChainingOutput(operator, 0)), input: new GateInput(this.gate, operator, task.metrics) };
    const sourceOutput = new BroadcastingOutput([new ChainingOutput(operator, 0)], new Map(), log);
    const splits: ManualSplit[] = [{ id: 'manual', emitted: 0 }];
    const input = new SourceInput((out) => new SourceOperator(reader, splits, out, 'in', options.watermarks), sourceOutput, task.metrics, undefined);
    const chain = new OperatorChain([{ operatorId: 'source', operator: input.operator, backend: undefined }, recorder], [], sourceOutput);
    return { ...parts, chain, input };
  }
}
