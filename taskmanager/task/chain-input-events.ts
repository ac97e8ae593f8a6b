/**
 * The one in-band event path of a task (see task-input.ts), whatever its input: the input's
 * watermark enters the chain, idleness is announced to consumers once, and barriers (aligned
 * ones from the gate, triggered ones of a source or a finishing task) become checkpoints.
 */
import type { SubtaskCheckpointer } from '../checkpoint/subtask-checkpointer.ts';
import { IDLE } from '../network/channel-message.ts';
import type { ResultPartition } from '../network/result-partition.ts';
import type { CheckpointBarrier } from '../../common/rpc/index.ts';
import type { OperatorChain } from './operator-chain.ts';
import type { InputEvents } from './task-input.ts';
import type { TaskMetrics } from './task-metrics.ts';
import { ACTIVE } from './watermark-valve.ts';

/** Applies a task's input events to its chain, its partitions and its checkpointer. */
export class ChainInputEvents implements InputEvents {
  private idleAnnounced = false;

  constructor(
    private readonly chain: OperatorChain,
    private readonly partitions: readonly ResultPartition[],
    private readonly checkpointer: SubtaskCheckpointer,
    private readonly metrics: TaskMetrics,
  ) {}

  watermark(watermark: number): void {
    this.metrics.inputWatermark = watermark;
    this.chain.processWatermark(watermark);
  }

  announce(idle: boolean): void {
    if (idle) this.idleness(true);
    else for (const p of this.partitions) p.broadcastEvent(ACTIVE);
  }

  /** Tells consumers once that this task is idle; any later record or watermark makes it active again. */
  idleness(idle: boolean): void {
    if (idle && !this.idleAnnounced) {
      // Consumers stop waiting for an idle input's watermark: nothing may stay held back.
      this.chain.emitHeldRecords();
      for (const p of this.partitions) p.broadcastEvent(IDLE);
    }
    this.idleAnnounced = idle;
  }

  /** Takes a checkpoint at the current position of the input: every earlier record is processed. */
  async barrier(barrier: CheckpointBarrier): Promise<void> {
    const flushed = this.chain.flush();
    if (flushed) await flushed;
    await this.checkpointer.checkpoint(barrier);
  }

  abandoned(checkpointId: number, reason: string): void {
    this.checkpointer.decline(checkpointId, reason);
  }
}
