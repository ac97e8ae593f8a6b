/**
 * The SinkOperator's part in checkpoints (taskmanager/operators/sink-operator.ts) with in-memory
 * writers: with a TwoPhaseCommitSinkWriter, `snapshotState` flushes and pre-commits, returning the
 * uncommitted transactions as `union` state; `notifyCheckpointComplete(N)` commits exactly those of
 * checkpoints ≤ N; a restore at another parallelism (4 old subtasks → 2, through a checkpoint's
 * encoding and `assignOperatorState`) hands `recover` the transactions of the old subtasks ≡ own index mod 2 to
 * commit and all of them to keep. A writer without two-phase commit snapshots `{}` and commits
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import type { SinkWriter, TwoPhaseCommitSinkWriter } from '../../../common/connector/sink.ts';
import { SinkOperator } from '../../../taskmanager/operators/sink-operator.ts';
import type { OperatorStateSnapshot } from '../../../taskmanager/operators/stream-operator.ts';
import { redistributeOperatorState } from '../../support/checkpointed-operator-state.ts';

/** A transaction: the records written between two pre-commits, named `<subtask>@<checkpoint>`. */
interface Txn {
  readonly id: string;
  readonly records: string[];
}

/** A 2PC writer that keeps everything in memory and logs every call. */
class MemoryTwoPhaseWriter implements TwoPhaseCommitSinkWriter<string, Txn> {
  readonly calls: string[] = [];
  readonly committed: Txn[] = [];
  readonly recovered: { toCommit: Txn[]; keep: Txn[] }[] = [];
  private open_: string[] = [];
  private unflushed: string[] = [];

  constructor(private readonly subtask: number) {}

  async open(): Promise<void> {
    this.calls.push('open');
  }

  write(record: string): void {
    this.unflushed.push(record);
  }

  async flush(): Promise<void> {
    this.calls.push('flush');
    this.open_.push(...this.unflushed);
    this.unflushed = [];
  }

  async finish(): Promise<void> {
    this.calls.push('finish');
  }

  async close(): Promise<void> {
    this.calls.push('close');
  }

  async preCommit(checkpointId: number): Promise<Txn[]> {
    this.calls.push(`preCommit(${checkpointId})`);
    if (this.open_.length === 0) return [];
    const txn = { id: `${this.subtask}@${checkpointId}`, records: this.open_ };
    this.open_ = [];
    return [txn];
  }

  async commit(transactions: readonly Txn[]): Promise<void> {
    this.calls.push(`commit(${transactions.map((t) => t.id).join(',')})`);
    this.committed.push(...transactions);
  }

  async recover(toCommit: readonly Txn[], keep: readonly Txn[]): Promise<void> {
    this.calls.push('recover');
    this.recovered.push({ toCommit: [...toCommit], keep: [...keep] });
  }
}

/** Writes `records`, then snapshots at `checkpointId`. */
async function writeAndSnapshot(op: SinkOperator, checkpointId: number, ...records: string[]): Promise<OperatorStateSnapshot> {
  for (const r of records) op.processElement(r);
  return op.snapshotState(checkpointId);
}

/** The transaction ids of a snapshot's `transactions` list, in order. */
function txnIds(snapshot: OperatorStateSnapshot): string[] {
  const list = snapshot.transactions;
  expect(list?.mode).toBe('union');
  return (list?.entries ?? []).flatMap((e) => (e as { transactions: Txn[] }).transactions.map((t) => t.id));
}

describe('SinkOperator with a two-phase-commit writer', () => {
  it('pre-commits at a snapshot and keeps every uncommitted transaction in union state', async () => {
    const writer = new MemoryTwoPhaseWriter(1);
    const op = new SinkOperator(writer, 1, 2);
    await op.open();

    const first = await writeAndSnapshot(op, 1, 'a', 'b');
    // Buffered records are flushed into the transaction before it is pre-committed.
    expect(writer.calls).toEqual(['open', 'flush', 'preCommit(1)']);
    expect(first).toEqual({
      transactions: { mode: 'union', entries: [{ subtask: 1, checkpointId: 1, transactions: [{ id: '1@1', records: ['a', 'b'] }] }] },
    });
    expect(txnIds(await writeAndSnapshot(op, 2, 'c'))).toEqual(['1@1', '1@2']);
    // Nothing written: no new transaction, the pending ones stay.
    expect(txnIds(await writeAndSnapshot(op, 3))).toEqual(['1@1', '1@2']);
    expect(writer.committed).toEqual([]);
    expect(op.written).toBe(3);
  });

  it('commits exactly the transactions of checkpoints up to the completed one, once', async () => {
    const writer = new MemoryTwoPhaseWriter(0);
    const op = new SinkOperator(writer, 0, 1);
    await op.open();
    await writeAndSnapshot(op, 1, 'a');
    await writeAndSnapshot(op, 2, 'b');
    await writeAndSnapshot(op, 3, 'c');

    await op.notifyCheckpointComplete(2);
    expect(writer.committed.map((t) => t.id)).toEqual(['0@1', '0@2']);
    expect(writer.calls.filter((c) => c.startsWith('commit'))).toEqual(['commit(0@1,0@2)']);
    // Committed transactions leave the state; a repeated or older notification commits nothing.
    expect(txnIds(await writeAndSnapshot(op, 4, 'd'))).toEqual(['0@3', '0@4']);
    await op.notifyCheckpointComplete(2);
    await op.notifyCheckpointComplete(1);
    expect(writer.committed.map((t) => t.id)).toEqual(['0@1', '0@2']);

    // Checkpoint 3 was aborted (never notified); 4 completing commits both.
    await op.notifyCheckpointComplete(4);
    expect(writer.committed.map((t) => t.id)).toEqual(['0@1', '0@2', '0@3', '0@4']);
    expect(writer.committed.flatMap((t) => t.records)).toEqual(['a', 'b', 'c', 'd']);
    expect(txnIds(await op.snapshotState(5))).toEqual([]);
  });

  it('on restore at parallelism 2 from 4 subtasks, recovers the transactions of subtasks ≡ own index mod 2 and keeps all', async () => {
    // Four old subtasks, each with two uncommitted checkpoints.
    const snapshots: OperatorStateSnapshot[] = [];
    for (let i = 0; i < 4; i++) {
      const op = new SinkOperator(new MemoryTwoPhaseWriter(i), i, 4);
      await op.open();
      await writeAndSnapshot(op, 1, `r${i}-1`);
      const snapshot = await writeAndSnapshot(op, 2, `r${i}-2`);
      snapshots.push(snapshot);
    }
    const restored = redistributeOperatorState(snapshots, 2, 'sink');
    const all = ['0@1', '0@2', '1@1', '1@2', '2@1', '2@2', '3@1', '3@2'];

    for (const [index, own] of [
      [0, ['0@1', '0@2', '2@1', '2@2']],
      [1, ['1@1', '1@2', '3@1', '3@2']],
    ] as const) {
      const writer = new MemoryTwoPhaseWriter(index);
      const op = new SinkOperator(writer, index, 2);
      op.initializeState(restored[index]!);
      expect(writer.calls).toEqual([]);
      await op.open();
      expect(writer.calls).toEqual(['open', 'recover']);
      expect(writer.recovered).toHaveLength(1);
      expect(writer.recovered[0]!.toCommit.map((t) => t.id).sort()).toEqual([...own]);
      expect(writer.recovered[0]!.keep.map((t) => t.id).sort()).toEqual(all);

      // The recovered transactions are the writer's business now: they are not pending again.
      expect(txnIds(await writeAndSnapshot(op, 3, 'new'))).toEqual([`${index}@3`]);
      await op.notifyCheckpointComplete(3);
      expect(writer.committed.map((t) => t.id)).toEqual([`${index}@3`]);
    }
  });

  it('recovers nothing on a fresh start without restored state', async () => {
    const writer = new MemoryTwoPhaseWriter(0);
    const op = new SinkOperator(writer, 0, 1);
    await op.open();
    expect(writer.calls).toEqual(['open']);
  });
});

describe('SinkOperator with a plain writer', () => {
  it('snapshots {} and commits nothing', async () => {
    const calls: string[] = [];
    // Has `commit` but no preCommit/recover: not a two-phase-commit writer.
    const writer: SinkWriter<unknown> & { commit(t: unknown[]): Promise<void> } = {
      open: async () => void calls.push('open'),
      write: (r) => void calls.push(`write(${String(r)})`),
      flush: async () => void calls.push('flush'),
      finish: async () => void calls.push('finish'),
      close: async () => void calls.push('close'),
      commit: async () => void calls.push('commit'),
    };
    const op = new SinkOperator(writer, 0, 1);
    op.initializeState({ transactions: [{ subtask: 0, checkpointId: 1, transactions: ['t'] }] });
    await op.open();
    op.processElement('x');
    expect(await op.snapshotState(1)).toEqual({});
    await op.notifyCheckpointComplete(1);
    expect(calls).toEqual(['open', 'write(x)']);
  });
});
