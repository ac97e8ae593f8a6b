/**
 * The background reading of one NATS split: an ordered consumer fetched in batches into a
 * bounded buffer that the reader drains synchronously.
 */
import { DeliverPolicy, type JetStreamClient, type JsMsg, type OrderedConsumerOptions } from '@nats-io/jetstream';
import type { NatsSplit } from './nats-split.ts';

/** Messages asked for per fetch. */
const FETCH_BATCH = 2_000;
/** A split stops fetching while this many messages wait in its buffer. */
const HIGH_WATER = 2 * FETCH_BATCH;
/** How long a fetch waits for messages; with `?bounded=true` an empty fetch ends the split. */
const FETCH_EXPIRES_MS = 1_000;

/**
 * Fetches the messages of one split from its position on, in stream order, while its buffer has
 * room. Acknowledges nothing: an ordered consumer has no acknowledgements, and the position lives
 * in the reader's checkpoints. With `endSeq`, stops after the last message at or below it: a
 * message past it, a message with nothing pending after it, or an empty fetch (every message up
 * to `endSeq` already existed when the job started).
 */
export class SplitFetcher {
  private readonly buffer: JsMsg[] = [];
  private head = 0;
  /** No message will be added any more. */
  done = false;
  /** The stream sequence after the last message taken from the buffer; the reader sets it. */
  nextSeq: number | undefined;
  private room: (() => void) | undefined;
  private stopped = false;

  /**
   * @param split where to start and, bounded, where to end
   * @param notify called when messages arrive or the split is done
   * @param fail called once with the error that ended fetching
   */
  constructor(
    readonly split: NatsSplit,
    private readonly notify: () => void,
    private readonly fail: (error: unknown) => void,
  ) {
    this.nextSeq = split.nextSeq;
  }

  /** The split with its position: the sequence after the last message taken, once one was. */
  progress(): NatsSplit {
    const { nextSeq, split } = this;
    if (nextSeq === split.nextSeq) return split;
    const { startTime: _startTime, ...rest } = split;
    return { ...rest, nextSeq };
  }

  /** Starts fetching in the background. */
  start(js: JetStreamClient): void {
    this.run(js).catch((error: unknown) => {
      if (!this.stopped) this.fail(error);
    });
  }

  /** The next buffered message, or undefined when none is buffered. */
  next(): JsMsg | undefined {
    const buffer = this.buffer;
    if (this.head >= buffer.length) return undefined;
    const message = buffer[this.head++] as JsMsg;
    if (this.head === buffer.length) {
      buffer.length = 0;
      this.head = 0;
      const room = this.room;
      if (room !== undefined) {
        this.room = undefined;
        room();
      }
    }
    return message;
  }

  /** Whether a poll would find a message or the end. */
  get hasNews(): boolean {
    return this.head < this.buffer.length || this.done;
  }

  /** Stops fetching; what is buffered stays readable. */
  stop(): void {
    this.stopped = true;
    this.room?.();
  }

  private async run(js: JetStreamClient): Promise<void> {
    const { split } = this;
    const endSeq = split.endSeq;
    const nextSeq = split.nextSeq;
    if (endSeq !== undefined && nextSeq !== undefined && nextSeq > endSeq) return this.end();
    const options: Partial<OrderedConsumerOptions> =
      nextSeq !== undefined ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: nextSeq } : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: split.startTime };
    if (split.subject !== undefined) options.filter_subjects = split.subject;
    const consumer = await js.consumers.get(split.stream, options);
    while (!this.stopped) {
      if (this.buffer.length - this.head >= HIGH_WATER) {
        await new Promise<void>((resolve) => {
          this.room = resolve;
        });
        continue;
      }
      const batch = await consumer.fetch({ max_messages: FETCH_BATCH, expires: FETCH_EXPIRES_MS });
      let received = 0;
      for await (const message of batch) {
        if (this.stopped) return;
        if (endSeq !== undefined && message.seq > endSeq) return this.end();
        received++;
        this.buffer.push(message);
        this.notify();
        if (endSeq !== undefined && (message.seq >= endSeq || message.info.pending === 0)) return this.end();
      }
      if (endSeq !== undefined && received === 0) return this.end();
    }
  }

  private end(): void {
    this.done = true;
    this.notify();
  }
}
