/**
 * Aligns checkpoint barriers across the input channels of a task. A channel that delivered the
 * barrier of checkpoint N is blocked until every other channel has delivered it too (or ended),
 * so the snapshot taken then reflects exactly the records before the barrier on every channel.
 * A barrier of a newer checkpoint abandons the alignment in progress.
 */
import type { CheckpointBarrier } from '../../common/rpc/index.ts';
import type { InputChannel } from '../network/input-channel.ts';
import type { InputGate } from '../network/input-gate.ts';

/** See the module comment. */
export class BarrierAligner {
  private current: { readonly barrier: CheckpointBarrier; readonly arrived: Set<InputChannel> } | undefined;
  /** The newest checkpoint aligned or abandoned; older barriers are stale. */
  private newest = 0;

  constructor(
    private readonly gate: InputGate,
    /** Called when a newer barrier abandons the alignment of an older checkpoint. */
    private readonly onAbandoned: (checkpointId: number) => void,
  ) {}

  /** A channel delivered a barrier. Returns the barrier when alignment is complete: snapshot now. */
  onBarrier(channel: InputChannel, barrier: CheckpointBarrier): CheckpointBarrier | undefined {
    if (barrier.checkpointId <= this.newest && this.current?.barrier.checkpointId !== barrier.checkpointId) return undefined;
    if (this.current && barrier.checkpointId > this.current.barrier.checkpointId) {
      const abandoned = this.current.barrier.checkpointId;
      this.current = undefined;
      this.gate.unblockAll();
      this.onAbandoned(abandoned);
    }
    if (!this.current) {
      this.current = { barrier, arrived: new Set() };
      this.newest = barrier.checkpointId;
    }
    this.current.arrived.add(channel);
    this.gate.block(channel);
    return this.check();
  }

  /** A channel ended: it no longer holds an alignment back. */
  onEndOfInput(): CheckpointBarrier | undefined {
    return this.check();
  }

  private check(): CheckpointBarrier | undefined {
    const current = this.current;
    if (!current) return undefined;
    for (const channel of this.gate.channels) if (!channel.finished && !current.arrived.has(channel)) return undefined;
    this.current = undefined;
    this.gate.unblockAll();
    return current.barrier;
  }
}
