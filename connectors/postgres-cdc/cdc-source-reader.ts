/**
 * Reads a table's change stream: the snapshot rows as inserts, then each committed transaction's
 * changes, as `{op, row}` records. A checkpoint keeps the position (LSN, and the changes of the
 * transaction under way already emitted); the position is acknowledged to the server only when
 * that checkpoint completes, so a restart from it replays exactly what followed.
 */
import type { PollStatus, SourceOutput, SourceReader, SourceReaderContext, SourceSplit } from '../../common/connector/source.ts';
import { createLogger } from '../../common/logging.ts';
import { ChangeStream, type ChangeRecord, type Transaction } from './change-stream.ts';
import { cdcError } from './cdc-errors.ts';
import type { CdcSplit } from './cdc-split.ts';
import type { CdcUri } from './cdc-uri.ts';
import { registerJobSlot } from './slot-janitor.ts';
import { slotName } from './slot-name.ts';
import { checkSlot, createSlotWithSnapshot } from './slot-setup.ts';

/** How many changes may wait for the task before the replication connection is paused. */
const MAX_BUFFERED_CHANGES = 10_000;

/** The queued records of one transaction (or of the snapshot), with how many were emitted. */
interface Pending {
  readonly records: readonly ChangeRecord[];
  /** The LSN to resume from once all records are emitted. */
  readonly endLsn: string;
  readonly snapshot: boolean;
  emitted: number;
}

/** The reader of subtask 0, which owns the one split; other subtasks get no split and stay idle. */
export class CdcSourceReader implements SourceReader<ChangeRecord> {
  private split: CdcSplit | undefined;
  private slot = '';
  /** The end LSN of the last transaction emitted completely. */
  private lsn = '';
  private readonly queue: Pending[] = [];
  private buffered = 0;
  private stream: ChangeStream | undefined;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private room: (() => void) | undefined;
  /** How many changes of the first transaction received were emitted before the restore. */
  private skipFirst = 0;
  private readonly positions = new Map<number, string>();
  private readonly log;

  constructor(
    private readonly uri: CdcUri,
    private readonly context: SourceReaderContext,
  ) {
    this.log = createLogger('postgres-cdc', { job: context.jobId, operator: context.operatorId, input: context.inputName });
  }

  addSplits(splits: readonly SourceSplit[]): void {
    for (const s of splits) this.split = s as CdcSplit;
  }

  async open(): Promise<void> {
    const split = this.split;
    if (split === undefined) return;
    this.slot = split.slot ?? this.uri.slot ?? slotName(this.context.jobId, this.context.operatorId);
    registerJobSlot(this.context.jobId, this.slot, this.uri);
    if (split.lsn === undefined) {
      const { consistentLsn, rows } = await createSlotWithSnapshot(this.uri, this.slot);
      this.log.info({ slot: this.slot, lsn: consistentLsn, rows: rows.length }, 'replication slot created with a snapshot');
      this.lsn = consistentLsn;
      this.enqueueSnapshot(rows);
    } else {
      await checkSlot(this.uri, this.slot, split.lsn);
      this.lsn = split.lsn;
      this.skipFirst = split.skip ?? 0;
      this.enqueueSnapshot(split.snapshot ?? []);
      this.log.info({ slot: this.slot, lsn: split.lsn, skip: this.skipFirst, snapshotRows: split.snapshot?.length ?? 0 }, 'change stream resumed');
    }
    this.stream = new ChangeStream(this.uri, this.slot, this.lsn, {
      transaction: (tx) => this.onTransaction(tx),
      failed: (error) => this.onFailure(error),
    });
  }

  pollNext(output: SourceOutput<ChangeRecord>, maxRecords: number): PollStatus {
    if (this.failure) throw this.failure;
    let n = 0;
    while (n < maxRecords) {
      const head = this.queue[0];
      if (head === undefined) break;
      const { records } = head;
      const from = head.emitted;
      while (head.emitted < records.length && n < maxRecords) {
        output.collect(records[head.emitted++] as ChangeRecord);
        n++;
      }
      if (!head.snapshot) this.buffered -= head.emitted - from;
      if (head.emitted < records.length) break;
      this.queue.shift();
      this.lsn = head.endLsn;
    }
    if (this.room && this.buffered < MAX_BUFFERED_CHANGES) this.releaseRoom();
    return this.queue.length > 0 ? 'more' : 'nothing';
  }

  snapshotState(checkpointId?: number): CdcSplit[] {
    const split = this.split;
    if (split === undefined) return [];
    if (checkpointId !== undefined) this.positions.set(checkpointId, this.lsn);
    const head = this.queue[0];
    const state: CdcSplit = { id: split.id, table: split.table, slot: this.slot, lsn: this.lsn };
    if (head?.snapshot) return [{ ...state, snapshot: head.records.slice(head.emitted).map((c) => c.row) }];
    const skip = head === undefined ? this.skipFirst : head.emitted;
    return [skip > 0 ? { ...state, skip } : state];
  }

  /** Acknowledges the checkpoint's position to the server, which may then discard the WAL before it. */
  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    const lsn = this.positions.get(checkpointId);
    if (lsn === undefined) return;
    for (const id of this.positions.keys()) if (id <= checkpointId) this.positions.delete(id);
    this.stream?.acknowledge(lsn);
  }

  available(): Promise<void> {
    if (this.queue.length > 0 || this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  async close(): Promise<void> {
    this.releaseRoom();
    await this.stream?.stop();
  }

  private enqueueSnapshot(rows: readonly Record<string, unknown>[]): void {
    if (rows.length > 0) this.queue.push({ records: rows.map((row) => ({ op: 'insert', row })), endLsn: this.lsn, snapshot: true, emitted: 0 });
  }

  private onTransaction(tx: Transaction): Promise<void> {
    const { changes } = tx;
    const emitted = Math.min(this.skipFirst, changes.length);
    this.skipFirst = 0;
    this.queue.push({ records: changes, endLsn: tx.endLsn, snapshot: false, emitted });
    this.buffered += changes.length - emitted;
    this.signal();
    if (this.buffered < MAX_BUFFERED_CHANGES) return Promise.resolve();
    return new Promise((resolve) => {
      this.room = resolve;
    });
  }

  private onFailure(error: unknown): void {
    this.failure = cdcError(`reading replication slot ${this.slot}`, this.uri, error);
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private releaseRoom(): void {
    const room = this.room;
    this.room = undefined;
    room?.();
  }
}
