/**
 * The operators of one task, linked by named outputs (ChainingOutput between operators,
 * RecordWriterOutput to the network, BroadcastingOutput to fan out), with what the task does to
 * all of them at once: open, flush at batch boundaries, finish, close (Flink's OperatorChain).
 */
import type { Logger } from '../../common/logging.ts';
import type { CheckpointedOperator } from '../checkpoint/subtask-checkpointer.ts';
import type { SinkOperator } from '../operators/sink-operator.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import type { EdgeOutput } from './broadcasting-output.ts';

/** See the module comment. */
export class OperatorChain {
  /** The first operator: a source, or the operator the input gate feeds. */
  readonly head: StreamOperator;
  /** The keyed state backends of the chain's operators, for the state size gauges. */
  readonly stateBackends: readonly KeyedStateBackend[];
  private readonly flushables: readonly StreamOperator[];
  private readonly blockables: readonly StreamOperator[];
  private opened: StreamOperator[] = [];

  constructor(
    /** Every operator with its id and keyed backend, head first, in topological order. */
    readonly operators: readonly CheckpointedOperator[],
    private readonly sinks: readonly SinkOperator[],
    /** Where the task's input watermark enters the chain: the head, or a source's output. */
    private readonly watermarkEntry: Pick<EdgeOutput, 'emitWatermark'>,
  ) {
    const head = operators[0];
    if (!head) throw new Error('an operator chain needs at least one operator');
    this.head = head.operator;
    const all = operators.map((o) => o.operator);
    this.stateBackends = operators.flatMap((o) => (o.backend ? [o.backend] : []));
    this.flushables = all.filter((op) => op.flush !== undefined);
    this.blockables = all.filter((op) => op.whenUnblocked !== undefined);
  }

  /** Opens the operators tail first, so that each one's successors are ready when it opens. */
  async open(): Promise<void> {
    for (let i = this.operators.length - 1; i >= 0; i--) {
      const op = this.operators[i]!.operator;
      await op.open();
      this.opened.push(op);
    }
  }

  /** The task's input watermark advanced. */
  processWatermark(watermark: number): void {
    this.watermarkEntry.emitWatermark(watermark);
  }

  /** Awaits every operator's batch-boundary work (sinks, state writes); undefined when none has any. */
  flush(): Promise<void> | undefined {
    return this.flushables.length > 0 ? this.flushAll() : undefined;
  }

  /** An operator that cannot take more input now (an async operator at capacity), if any. */
  get blocked(): StreamOperator | undefined {
    return this.blockables.find((op) => op.blocked);
  }

  /** Emits what operators hold back in memory, before the task announces it is idle. */
  emitHeldRecords(): void {
    for (const { operator } of this.operators) operator.emitHeldRecords?.();
  }

  /** All input has been processed: every operator, head first, emits what it holds and commits. */
  async finish(): Promise<void> {
    for (const { operator } of this.operators) await operator.finish();
  }

  /** Records written by the chain's sinks. */
  get sinkRecordsWritten(): number {
    let written = 0;
    for (const s of this.sinks) written += s.written;
    return written;
  }

  /** Closes every operator that opened; a failure to close is logged, the others still close. */
  async close(log: Logger): Promise<void> {
    const opened = this.opened;
    this.opened = [];
    for (const op of opened) {
      await op.close().catch((error: unknown) => log.warn({ err: error }, 'closing an operator failed'));
    }
  }

  private async flushAll(): Promise<void> {
    for (const op of this.flushables) {
      const pending = op.flush!();
      if (pending) await pending;
    }
  }
}
