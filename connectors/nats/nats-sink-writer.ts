/**
 * The writer of one NATS-sink subtask: records staged per checkpoint, published with
 * deterministic message ids once the checkpoint completes.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { SinkContext, TwoPhaseCommitSinkWriter } from '../../common/connector/sink.ts';
import { connectNats, openStream, reasonOf } from './nats-connection.ts';
import { encodeRecord, toMsgHdrs, type EncodedMessage } from './nats-record-codec.ts';
import { JetStreamPublisher } from './jetstream-publisher.ts';
import { displayUri, type NatsAddress } from './nats-uri.ts';

/**
 * The records of one subtask between two checkpoints, kept in the checkpoint itself (a
 * write-ahead log), so that a restore can publish them again. JSON-serializable.
 */
export interface NatsTransaction {
  /** Prefix of the `Nats-Msg-Id` of every message: `JOB/OPERATOR/SUBTASK/CHECKPOINT/WRITER`. */
  readonly id: string;
  readonly stream: string;
  readonly subject: string;
  readonly messages: readonly EncodedMessage[];
}

/**
 * With checkpointing, `write` encodes and stages, `preCommit` hands the staged messages over as a
 * transaction stored in the checkpoint, and `commit` publishes them, message i of transaction T
 * with `Nats-Msg-Id` `T.id/i` and the expectation that the stream is T.stream, pipelined (see
 * `JetStreamPublisher`). Publishing again
 * after a crash (by `recover`, or a second `commit`) reuses the ids, and the server drops every
 * message it already stored within its duplicate window (`duplicate_window`, 2 min by default):
 * exactly once as long as a transaction is re-published within that window. Without
 * checkpointing, `flush` publishes what was written (at least once).
 *
 * The connection does not reconnect: when it drops, the next flush, pre-commit or commit fails,
 * the task fails and the job restarts from its last checkpoint.
 */
export class NatsSinkWriter implements TwoPhaseCommitSinkWriter<unknown, NatsTransaction> {
  private staged: EncodedMessage[] = [];
  private connection: NatsConnection | undefined;
  private publisher: JetStreamPublisher | undefined;
  private failure: Error | undefined;
  private closing = false;
  /** Random per writer, so that no two attempts or runs stage under one message id. */
  private readonly writerId = randomBytes(6).toString('hex');
  private unsavedCount = 0;

  constructor(
    private readonly address: NatsAddress,
    private readonly headersField: string | undefined,
    private readonly context: SinkContext,
  ) {}

  /** Connects and checks that the stream exists. */
  async open(): Promise<void> {
    try {
      const connection = await connectNats(this.address, `sink ${this.context.operatorId}/${this.context.subtaskIndex}`);
      this.connection = connection;
      connection
        .closed()
        .then((error) => this.fail(error ?? new Error('the connection closed')))
        .catch((error: unknown) => this.fail(error));
      await openStream(connection, this.address);
      this.publisher = new JetStreamPublisher(connection, this.address.server);
    } catch (error) {
      throw this.error(error);
    }
  }

  write(record: unknown): void {
    this.staged.push(encodeRecord(record, this.headersField));
  }

  /** Without checkpointing, publishes what was written; with it, only surfaces a lost connection. */
  async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.context.checkpointing || this.staged.length === 0) return;
    const messages = this.staged;
    this.staged = [];
    const id = `${this.idBase()}/unsaved-${this.unsavedCount++}`;
    await this.publish({ id, stream: this.address.stream, subject: this.subjectOf(), messages });
  }

  /** Publishes what is left without checkpointing; with checkpointing the final checkpoint does. */
  async finish(): Promise<void> {
    await this.flush();
  }

  /** The messages staged since the last checkpoint, as the transaction of `checkpointId`. */
  async preCommit(checkpointId: number): Promise<NatsTransaction[]> {
    if (this.failure !== undefined) throw this.failure;
    if (this.staged.length === 0) return [];
    const messages = this.staged;
    this.staged = [];
    return [{ id: `${this.idBase()}/${checkpointId}/${this.writerId}`, stream: this.address.stream, subject: this.subjectOf(), messages }];
  }

  /** Publishes every message of the transactions; the duplicate window drops those already stored. */
  async commit(transactions: readonly NatsTransaction[]): Promise<void> {
    for (const transaction of transactions) await this.publish(transaction);
  }

  /** Publishes the restored transactions again; nothing else of an earlier attempt survives it. */
  async recover(toCommit: readonly NatsTransaction[], _keep: readonly NatsTransaction[]): Promise<void> {
    await this.commit(toCommit);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.staged = [];
    this.publisher?.close();
    await this.connection?.close().catch(() => undefined);
  }

  private async publish(transaction: NatsTransaction): Promise<void> {
    const publisher = this.publisher;
    if (publisher === undefined) throw new Error(`${this.describe()}: publishing before open`);
    const { id, stream, subject, messages } = transaction;
    try {
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i] as EncodedMessage;
        await publisher.publish(subject, message.data, toMsgHdrs(message.headers, `${id}/${i}`, stream));
      }
      await publisher.drained(subject);
    } catch (error) {
      throw this.error(this.failure ?? error, `publishing to "${subject}"`);
    }
  }

  private fail(error: unknown): void {
    if (this.closing || this.failure !== undefined) return;
    this.failure = this.error(error, 'the connection was lost');
  }

  /** `JOB/OPERATOR/SUBTASK`, the start of every message id of this writer. */
  private idBase(): string {
    return `${this.context.jobId}/${this.context.operatorId}/${this.context.subtaskIndex}`;
  }

  private subjectOf(): string {
    return this.address.subject as string;
  }

  private describe(): string {
    return `NATS sink (${displayUri(this.address)})`;
  }

  private error(error: unknown, action?: string): Error {
    if (error instanceof Error && error.message.startsWith(this.describe())) return error;
    return new Error(`${this.describe()}: ${action === undefined ? '' : `${action}: `}${reasonOf(error)}`, { cause: error });
  }
}
