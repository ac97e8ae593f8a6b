/**
 * Builds what a task runs from its deployment and the job plan: result partitions and record
 * writers for its outgoing edges, the chained operators with their outputs, and the input gate.
 */
import type { KeySelector, RuntimeContext, WatermarkStrategy } from '../../client/runtime.ts';
import type { StreamEdge, StreamNode } from '../../common/graph/stream-graph.ts';
import { jobEdgeId, type VertexPlan } from '../../common/graph/job-plan.ts';
import { splitsForSubtask, type SourceSplit } from '../../common/connector/source.ts';
import { keyGroupRangeForOperator } from '../../common/key-groups.ts';
import type { Logger } from '../../common/logging.ts';
import type { TaskDeployment } from '../../common/rpc/index.ts';
import type { DataClientPool } from '../network/data-client-pool.ts';
import { InputGate } from '../network/input-gate.ts';
import { LocalInputChannel } from '../network/local-input-channel.ts';
import { partitionKey, type PartitionManager } from '../network/partition-manager.ts';
import { BroadcastSelector, ForwardSelector, KeyGroupSelector, RebalanceSelector, type ChannelSelector } from '../network/partitioners.ts';
import { RecordWriter } from '../network/record-writer.ts';
import { RemoteInputChannel } from '../network/remote-input-channel.ts';
import { ResultPartition, type ResultPartitionConfig } from '../network/result-partition.ts';
import type { KeyedSetup } from '../operators/abstract-stream-operator.ts';
import { OPERATOR_FACTORIES } from '../operators/operator-factories.ts';
import { SinkOperator } from '../operators/sink-operator.ts';
import { SOURCE_SPLITS_STATE, SourceOperator } from '../operators/source-operator.ts';
import type { CheckpointedOperator } from '../checkpoint/subtask-checkpointer.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import type { KeyedState, KeyedStateRequest } from '../state/job-state-stores.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import { ChainOutput, type RecordTarget } from './chain-output.ts';
import { runtimeContext } from './runtime-context.ts';
import { restoreOf } from './task-restore.ts';
import type { Task, TaskParts } from './task.ts';

/** What the TaskManager lends every task it builds. */
export interface TaskEnvironment {
  readonly address: string;
  readonly partitions: PartitionManager;
  readonly dataClients: DataClientPool;
  readonly partitionConfig: ResultPartitionConfig;
  /** Credit each input channel grants up front. */
  readonly initialCredit: number;
  pushCollected(jobId: string, sinkId: string, records: readonly unknown[]): Promise<void>;
  /** Creates the keyed state backend and timers of one keyed operator subtask. */
  keyedState(request: KeyedStateRequest): Promise<KeyedState>;
  readonly log: Logger;
}

/**
 * The key selector per logical input of a keyed operator, or undefined when the operator is not
 * keyed. An operator is keyed when a hash edge feeds it and its other inputs are hash or broadcast.
 */
function keySelectorsOf(node: StreamNode): (KeySelector<unknown> | undefined)[] | undefined {
  if (!node.inputs.some((e) => e.partitioning === 'hash')) return undefined;
  if (node.inputs.some((e) => e.partitioning !== 'hash' && e.partitioning !== 'broadcast')) return undefined;
  const selectors: (KeySelector<unknown> | undefined)[] = [];
  for (const e of node.inputs) if (e.partitioning === 'hash') selectors[e.inputIndex] = e.keySelector;
  return selectors;
}

function selectorFor(edge: StreamEdge, spec: { subpartitions: number; targetMaxParallelism: number }, subtask: number): ChannelSelector {
  switch (edge.partitioning) {
    case 'forward':
      return new ForwardSelector();
    case 'rebalance':
      return new RebalanceSelector(spec.subpartitions, subtask);
    case 'broadcast':
      return new BroadcastSelector();
    case 'hash': {
      if (!edge.keySelector) throw new Error(`hash edge into "${edge.to.name}" has no key selector`);
      return new KeyGroupSelector(edge.keySelector, spec.subpartitions, spec.targetMaxParallelism);
    }
  }
}

/** Builds the parts of one task. */
export async function buildTaskParts(task: Task, deployment: TaskDeployment, vertex: VertexPlan, env: TaskEnvironment): Promise<TaskParts> {
  const { jobId, executionId, subtask } = deployment;
  const restore = restoreOf(deployment);
  const checkpointed: CheckpointedOperator[] = [];
  const metrics = task.metrics;
  const partitions: ResultPartition[] = [];
  const networkTargets = new Map<StreamEdge, RecordTarget>();
  for (const edge of vertex.outputs) {
    const edgeId = jobEdgeId(edge);
    const spec = deployment.outputs.find((o) => o.edgeId === edgeId);
    if (!spec) throw new Error(`deployment of ${task.name} lacks output ${edgeId}`);
    const forward = edge.partitioning === 'forward';
    const partition = new ResultPartition(partitionKey(jobId, executionId, edgeId), forward ? 1 : spec.subpartitions, env.partitionConfig, spec.consumerTaskmanagerIds);
    partitions.push(partition);
    const writer = new RecordWriter(partition, selectorFor(edge, spec, subtask), forward);
    networkTargets.set(edge, {
      push: (record, timestamp) => {
        metrics.recordsOut++;
        writer.emit(record, timestamp);
      },
      watermark: (watermark) => writer.emitWatermark(watermark),
    });
  }

  const keyGroupRange = keyGroupRangeForOperator(deployment.maxParallelism, deployment.parallelism, subtask);
  const operators = new Map<StreamNode, StreamOperator>();
  const sinks: SinkOperator[] = [];
  let source: SourceOperator | undefined;
  let idleCheckMs: number | undefined;
  const stateBackends: KeyedStateBackend[] = [];
  const inChain = new Set(vertex.nodes);
  for (const node of [...vertex.nodes].reverse()) {
    const main: RecordTarget[] = [];
    const side = new Map<string, RecordTarget[]>();
    for (const edge of node.outputs) {
      let target: RecordTarget | undefined;
      if (inChain.has(edge.to) && !networkTargets.has(edge)) {
        const next = operators.get(edge.to)!;
        const inputIndex = edge.inputIndex;
        target = {
          push: (record, timestamp) => next.processElement(record, timestamp, inputIndex),
          watermark: (watermark) => next.processWatermark(watermark),
        };
      } else {
        target = networkTargets.get(edge);
      }
      if (!target) throw new Error(`no output for edge ${jobEdgeId(edge)} of ${node.name}`);
      if (edge.sideOutput === undefined) main.push(target);
      else side.set(edge.sideOutput, [...(side.get(edge.sideOutput) ?? []), target]);
    }
    const output = new ChainOutput(main, side, env.log);
    const restored = restore?.get(node.id);
    let backend: KeyedStateBackend | undefined;
    let op: StreamOperator;
    if (node.kind === 'sink') {
      const writer = node.sink!.createWriter({
        jobId,
        operatorId: node.id,
        subtaskIndex: subtask,
        parallelism: deployment.parallelism,
        attempt: deployment.attempt,
        checkpointing: deployment.checkpointing,
        pushCollected: (records) => env.pushCollected(jobId, node.id, records),
      });
      const sink = new SinkOperator(writer, subtask, deployment.parallelism);
      sinks.push(sink);
      op = sink;
    } else if (node.kind === 'source') {
      const src = node.source!;
      const restoredSplits = restore ? (restored?.operatorState[SOURCE_SPLITS_STATE] as SourceSplit[] | undefined) : undefined;
      const splits = restoredSplits ?? splitsForSubtask(await src.enumerateSplits(), subtask, deployment.parallelism);
      const reader = src.createReader({
        jobId,
        operatorId: node.id,
        inputName: node.name,
        subtaskIndex: subtask,
        parallelism: deployment.parallelism,
        maxParallelism: deployment.maxParallelism,
      });
      const strategy = (node.spec as WatermarkStrategy<unknown> | undefined)?.spec;
      idleCheckMs = strategy?.idlenessMs !== undefined ? Math.max(10, Math.floor(strategy.idlenessMs / 2)) : undefined;
      source = new SourceOperator(reader, splits, output, node.name, strategy);
      op = source;
    } else {
      const factory = OPERATOR_FACTORIES[node.kind];
      if (!factory) throw new Error(`operator kind "${node.kind}" of "${node.name}" is not supported by this TaskManager`);
      const selectors = keySelectorsOf(node);
      let keyed: KeyedSetup | undefined;
      if (selectors) {
        const state = await env.keyedState({ jobId, operatorId: node.id, maxParallelism: deployment.maxParallelism, keyGroupRange });
        keyed = { ...state, keySelectors: selectors, restore: restore ? (restored?.keyed ?? []) : undefined };
        stateBackends.push(state.backend);
        backend = state.backend;
      }
      const context: RuntimeContext = runtimeContext(
        { jobId, taskName: task.name, operatorId: node.id, subtaskIndex: subtask, parallelism: deployment.parallelism, maxParallelism: deployment.maxParallelism, attempt: deployment.attempt, keyGroupRange },
        keyed?.backend,
      );
      op = factory(node, { context, output, processingTime: task.processingTime, keyed, enqueue: (mail) => task.enqueue(mail) });
    }
    if (restored && node.kind !== 'source') op.initializeState?.(restored.operatorState);
    operators.set(node, op);
    checkpointed.push({ operatorId: node.id, operator: op, backend });
  }

  let gate: InputGate | undefined;
  if (deployment.inputs.length > 0) {
    gate = new InputGate();
    for (const spec of deployment.inputs) {
      const edge = vertex.inputs.find((e) => jobEdgeId(e) === spec.edgeId);
      if (!edge) throw new Error(`deployment of ${task.name} names unknown input ${spec.edgeId}`);
      const subpartition = spec.partitioner === 'FORWARD' ? 0 : subtask;
      for (const ch of spec.channels) {
        const index = gate.channels.length;
        const channel =
          ch.producerAddress === env.address
            ? new LocalInputChannel(index, edge.inputIndex, gate, env.initialCredit, env.partitions, partitionKey(jobId, ch.producerExecutionId, spec.edgeId), subpartition)
            : new RemoteInputChannel(index, edge.inputIndex, gate, env.initialCredit, env.dataClients, {
                address: ch.producerAddress,
                jobId,
                producerExecutionId: ch.producerExecutionId,
                edgeId: spec.edgeId,
                subpartition,
              });
        gate.add(channel);
      }
    }
  }

  const ordered = vertex.nodes.map((n) => operators.get(n)!);
  return {
    operators: ordered,
    source,
    sinks,
    idleCheckMs,
    stateBackends,
    checkpointed: vertex.nodes.map((n) => checkpointed.find((c) => c.operator === operators.get(n))!),
    gate,
    partitions,
    registerPartitions: () => {
      for (const p of partitions) env.partitions.register(p);
    },
    unregisterPartitions: () => {
      for (const p of partitions) env.partitions.unregister(p.key);
    },
  };
}
