/**
 * The changes of a replication slot, decoded from `pgoutput` and handed on one transaction at a
 * time. Nothing is acknowledged to the server but what `acknowledge` is given.
 */
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import type { Pgoutput } from 'pg-logical-replication';
import { clientConfig, type CdcUri } from './cdc-uri.ts';
import { jsonRow } from './json-row.ts';
import { normalLsn } from './lsn.ts';

/** One change of a row, as inventory-alert's contract has it: `{op, row}`. */
export type ChangeRecord = {
  readonly op: 'insert' | 'update' | 'delete';
  /** The new row; for a delete, the old one (its key columns only, unless REPLICA IDENTITY FULL). */
  readonly row: Record<string, unknown>;
};

/** The changes of one committed transaction, and the LSN the stream resumes after it from. */
export interface Transaction {
  readonly changes: ChangeRecord[];
  readonly endLsn: string;
}

/** What the stream tells its reader. */
export interface ChangeStreamListener {
  /** A transaction committed; the stream waits for the returned promise (backpressure). */
  transaction(tx: Transaction): Promise<void>;
  /** The stream failed, for example its connection dropped. */
  failed(error: unknown): void;
}

/** A running replication connection on one slot. */
export class ChangeStream {
  private readonly service: LogicalReplicationService;
  private changes: ChangeRecord[] = [];
  private acknowledged: string;
  private stopped = false;

  constructor(
    private readonly uri: CdcUri,
    private readonly slot: string,
    startLsn: string,
    private readonly listener: ChangeStreamListener,
  ) {
    this.acknowledged = startLsn;
    this.service = new LogicalReplicationService(clientConfig(uri), { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } });
    this.service.on('data', (_lsn: string, message: Pgoutput.Message) => this.onMessage(message));
    this.service.on('heartbeat', (_lsn: string, _time: number, shouldRespond: boolean) => {
      if (shouldRespond) void this.service.acknowledge(this.acknowledged);
    });
    this.service.on('error', (error: Error) => this.fail(error));
    this.service.subscribe(new PgoutputPlugin({ protoVersion: 1, publicationNames: [slot] }), slot, startLsn).then(
      () => this.fail(new Error(`the replication stream of slot ${this.slot} ended`)),
      (error: unknown) => this.fail(error),
    );
  }

  /** Tells the server that every change up to `lsn` is processed for good (its flush position). */
  acknowledge(lsn: string): void {
    this.acknowledged = lsn;
    void this.service.acknowledge(lsn);
  }

  /** Ends the replication connection; the slot stays where it was acknowledged. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.service.destroy().catch(() => undefined);
  }

  private onMessage(message: Pgoutput.Message): Promise<void> | undefined {
    switch (message.tag) {
      case 'begin':
        this.changes = [];
        return undefined;
      case 'insert':
        this.changes.push({ op: 'insert', row: jsonRow(message.relation.columns, message.new) });
        return undefined;
      case 'update':
        this.changes.push({ op: 'update', row: jsonRow(message.relation.columns, message.new) });
        return undefined;
      case 'delete':
        this.changes.push({ op: 'delete', row: jsonRow(message.relation.columns, message.old ?? message.key ?? {}) });
        return undefined;
      case 'commit': {
        const changes = this.changes;
        this.changes = [];
        return this.listener.transaction({ changes, endLsn: message.commitEndLsn === null ? this.acknowledged : normalLsn(message.commitEndLsn) });
      }
      default:
        return undefined;
    }
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.listener.failed(error);
    void this.service.destroy().catch(() => undefined);
  }
}

