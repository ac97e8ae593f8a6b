/**
 * Runs a sink writer as the last operator of a chain. With a two-phase-commit writer it takes part
 * in checkpoints: at a barrier it pre-commits the writer's open transaction and keeps it, with
 * every other transaction not committed yet, in its operator state; when a checkpoint completes
 * it commits the transactions up to it. On restore it hands the restored transactions back to the
 * writer to commit, and leaves the rest to be discarded.
 */
import { isTwoPhaseCommitWriter, type SinkWriter, type TwoPhaseCommitSinkWriter } from '../../common/connector/sink.ts';
import type { OperatorStateSnapshot, RestoredOperatorState, StreamOperator } from './stream-operator.ts';

/** Operator state name of the pending transactions. */
const TRANSACTIONS = 'transactions';

/** Transactions pre-committed at one checkpoint by one subtask. */
interface PendingTransactions {
  readonly subtask: number;
  readonly checkpointId: number;
  readonly transactions: unknown[];
}

/** Hands records to a sink writer and awaits its flushes at batch boundaries. */
export class SinkOperator implements StreamOperator {
  /** Records written, for metrics. */
  written = 0;
  private readonly twoPhase: TwoPhaseCommitSinkWriter<unknown, unknown> | undefined;
  private pending: PendingTransactions[] = [];
  private restored: PendingTransactions[] | undefined;

  constructor(
    private readonly writer: SinkWriter<unknown>,
    private readonly subtask: number,
    private readonly parallelism: number,
  ) {
    this.twoPhase = isTwoPhaseCommitWriter(writer) ? writer : undefined;
  }

  initializeState(state: RestoredOperatorState): void {
    this.restored = (state[TRANSACTIONS] ?? []) as PendingTransactions[];
  }

  async open(): Promise<void> {
    await this.writer.open();
    const restored = this.restored;
    if (!restored || !this.twoPhase) return;
    this.restored = undefined;
    const mine = restored.filter((p) => p.subtask % this.parallelism === this.subtask).flatMap((p) => p.transactions);
    await this.twoPhase.recover(mine, restored.flatMap((p) => p.transactions));
  }

  processElement(record: unknown): void {
    this.written++;
    this.writer.write(record);
  }

  processWatermark(): void {}

  flush(): Promise<void> {
    return this.writer.flush();
  }

  async snapshotState(checkpointId: number): Promise<OperatorStateSnapshot> {
    if (!this.twoPhase) return {};
    await this.writer.flush();
    const transactions = await this.twoPhase.preCommit(checkpointId);
    if (transactions.length > 0) this.pending.push({ subtask: this.subtask, checkpointId, transactions });
    return { [TRANSACTIONS]: { mode: 'union', entries: [...this.pending] } };
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    if (!this.twoPhase) return;
    const ready = this.pending.filter((p) => p.checkpointId <= checkpointId);
    if (ready.length === 0) return;
    await this.twoPhase.commit(ready.flatMap((p) => p.transactions));
    this.pending = this.pending.filter((p) => p.checkpointId > checkpointId);
  }

  async finish(): Promise<void> {
    await this.writer.flush();
    await this.writer.finish();
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
