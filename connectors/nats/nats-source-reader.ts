/**
 * The reader of one NATS-source subtask: one ordered consumer per split on one connection.
 */
import { jetstream, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { performance } from 'node:perf_hooks';
import { bySplitId, type PollStatus, type SourceOutput, type SourceReader } from '../../common/connector/source.ts';
import { ReaderWakeup } from '../common/reader-wakeup.ts';
import { RateLimiter } from '../datagen/rate-limiter.ts';
import type { RecordValidator } from '../file/file-source-options.ts';
import { connectNats, reasonOf } from './nats-connection.ts';
import { decodeMessage } from './nats-record-codec.ts';
import type { NatsSourceParams } from './nats-source-options.ts';
import type { NatsSplit } from './nats-split.ts';
import { SplitFetcher } from './nats-split-fetcher.ts';
import { displayUri, type NatsAddress } from './nats-uri.ts';

/** What the reader needs to know beyond the URI. */
export interface NatsReaderOptions {
  readonly inputName: string;
  readonly validate: RecordValidator | undefined;
}

/**
 * Reads its splits in the background (see `SplitFetcher`) and emits them by polls, one split at a
 * time until its buffer runs out, so splits interleave by batches while each stays in sequence
 * order. Each record carries the message's stream time as its timestamp (the job's assigner
 * wins). A message that is not a UTF-8 JSON object, or that the validator refuses, goes to
 * `malformed`. The position of a split is the sequence after the last message polled. A lost
 * connection or a failed fetch fails the next poll with an error naming the input and server.
 */
export class NatsSourceReader implements SourceReader<Record<string, unknown>> {
  private readonly active: SplitFetcher[] = [];
  private readonly ending: NatsSplit[] = [];
  private readonly finished: NatsSplit[] = [];
  private connection: NatsConnection | undefined;
  private failure: Error | undefined;
  private cursor = 0;
  private closed = false;
  private readonly limiter: RateLimiter | undefined;
  private readonly wakeup = new ReaderWakeup();
  private readonly notify = this.wakeup.notify;
  private wakeScheduled = false;
  /**
   * New messages wake a waiting poll on the next macrotask, not at once: messages of one socket
   * read arrive as a run of microtasks, and waking per message would poll them one at a time.
   */
  private readonly onNews = (): void => {
    if (this.wakeScheduled || !this.wakeup.pending) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.notify();
    });
  };
  private readonly fail = (error: unknown): void => {
    if (this.closed || this.failure !== undefined) return;
    this.failure = new Error(`input "${this.options.inputName}" (${displayUri(this.address)}): ${reasonOf(error)}`, { cause: error });
    this.notify();
  };

  constructor(
    private readonly address: NatsAddress,
    private readonly params: NatsSourceParams,
    private readonly options: NatsReaderOptions,
  ) {
    this.limiter = params.rate === undefined ? undefined : new RateLimiter(params.rate);
  }

  addSplits(splits: readonly NatsSplit[]): void {
    for (const split of splits) {
      if (split.finished === true) {
        this.ending.push(split);
        continue;
      }
      const fetcher = new SplitFetcher(split, this.onNews, this.fail);
      this.active.push(fetcher);
      if (this.connection !== undefined) fetcher.start(jetstream(this.connection));
    }
    this.notify();
  }

  /** Connects and starts every split; a lost connection later fails the next poll. */
  async open(): Promise<void> {
    let connection: NatsConnection;
    try {
      connection = await connectNats(this.address, `source ${this.options.inputName}`);
    } catch (error) {
      throw new Error(`input "${this.options.inputName}" (${displayUri(this.address)}): ${reasonOf(error)}`, { cause: error });
    }
    this.connection = connection;
    connection
      .closed()
      .then((error) => this.fail(error ?? new Error(`the connection to the NATS server at ${this.address.server} closed`)))
      .catch(this.fail);
    const js = jetstream(connection);
    for (const fetcher of this.active) fetcher.start(js);
  }

  pollNext(output: SourceOutput<Record<string, unknown>>, maxRecords: number): PollStatus {
    if (this.failure !== undefined) throw this.failure;
    for (const split of this.ending.splice(0)) {
      this.finished.push(split);
      output.splitEnded(split.id);
    }
    const active = this.active;
    const limiter = this.limiter;
    const budget = limiter === undefined || active.length === 0 ? maxRecords : limiter.budget(maxRecords, performance.now());
    if (budget <= 0) return 'nothing';
    let emitted = 0;
    let idle = 0;
    let announced: SplitFetcher | undefined;
    while (emitted < budget && active.length > 0) {
      if (this.cursor >= active.length) this.cursor = 0;
      const fetcher = active[this.cursor] as SplitFetcher;
      const message = fetcher.next();
      if (message === undefined) {
        if (fetcher.done) {
          active.splice(this.cursor, 1);
          this.finished.push({ ...fetcher.progress(), finished: true });
          output.splitEnded(fetcher.split.id);
        } else {
          this.cursor++;
          if (++idle >= active.length) break;
        }
        continue;
      }
      idle = 0;
      if (fetcher !== announced) {
        output.setSplit(fetcher.split.id);
        announced = fetcher;
      }
      this.emit(fetcher, message, output);
      emitted++;
    }
    limiter?.consume(emitted);
    if (active.length === 0) return 'end';
    if (emitted < budget) return 'nothing';
    this.cursor++;
    return budget < maxRecords ? 'nothing' : 'more';
  }

  /** Emits one message as a record or a malformed report, and moves its split past it. */
  private emit(fetcher: SplitFetcher, message: JsMsg, output: SourceOutput<Record<string, unknown>>): void {
    const info = message.info;
    const seq = info.streamSequence;
    fetcher.nextSeq = seq + 1;
    const decoded = decodeMessage(message.data, message.headers, this.params.headersField);
    if (!('record' in decoded)) {
      output.malformed(decoded.raw, `${decoded.error} (stream ${info.stream}, sequence ${seq}, subject ${message.subject})`);
      return;
    }
    const problem = this.options.validate?.(decoded.record);
    if (problem !== undefined) output.malformed(decoded.raw, problem);
    else output.collect(decoded.record, Math.floor(info.timestampNanos / 1e6));
  }

  available(): Promise<void> {
    if (this.closed || this.failure !== undefined || this.active.length === 0 || this.ending.length > 0) return Promise.resolve();
    const limiter = this.limiter;
    if (limiter !== undefined) {
      const now = performance.now();
      if (limiter.allowance(now) <= 0) return this.wakeup.wait(limiter.delayMs(now));
    }
    if (this.active.some((fetcher) => fetcher.hasNews)) return Promise.resolve();
    return this.wakeup.wait();
  }

  /** Every split with its position, sorted by id: what a checkpoint stores. */
  snapshotState(): NatsSplit[] {
    return [...this.finished, ...this.ending, ...this.active.map((fetcher) => fetcher.progress())].sort(bySplitId);
  }

  /** Stops fetching and closes the connection; the positions stay for `snapshotState`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const fetcher of this.active) fetcher.stop();
    await this.connection?.close().catch(() => undefined);
    this.wakeup.close();
  }
}
