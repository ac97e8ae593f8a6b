/**
 * The consumer side of one subpartition. Messages arrive against credit, wait in a small queue
 * until the task takes them, and each taken batch gives one credit back to the producer.
 */
import { createRecordCodec } from '../../common/codec.ts';
import { errorMessage } from '../../common/errors.ts';
import type { ChannelMessage, SubpartitionReader } from './channel-message.ts';
import { decodeRecords } from './wire-message.ts';

/** Decoding keeps no state between batches, so every channel of the process shares one codec. */
const codec = createRecordCodec();

/** Notified when a channel has a message or failed. */
export interface ChannelListener {
  onChannelData(channel: InputChannel): void;
  onChannelFailure(channel: InputChannel, reason: string): void;
}

/** One input channel, local or remote. */
export abstract class InputChannel implements SubpartitionReader {
  private readonly queue: ChannelMessage[] = [];
  private head = 0;
  /** Set once end-of-input was taken from this channel. */
  finished = false;
  /** Set once end-of-input arrived, even if the task has not taken it yet. */
  protected endReceived = false;

  constructor(
    /** Position of the channel in its gate. */
    readonly index: number,
    /** Logical input of the task this channel feeds. */
    readonly inputIndex: number,
    readonly description: string,
    protected readonly listener: ChannelListener,
    /** Credit granted up front: how many messages may be in flight. */
    protected readonly initialCredit: number,
  ) {}

  /** Connects to the producer. */
  abstract start(): void;
  /** Gives `n` credits back to the producer. */
  protected abstract grantCredit(n: number): void;
  /** Disconnects. */
  abstract close(): void;

  /** Called by the transport when a message arrives. */
  send(message: ChannelMessage): void {
    if (message.type === 'event' && message.kind === 'END_OF_INPUT') this.endReceived = true;
    this.queue.push(message);
    if (this.queue.length - this.head === 1) this.listener.onChannelData(this);
  }

  /** Called by the transport when the producer or the connection failed. */
  fail(reason: string): void {
    if (!this.endReceived) this.listener.onChannelFailure(this, `${this.description}: ${reason}`);
  }

  /** Whether a message is waiting. */
  get hasData(): boolean {
    return this.head < this.queue.length;
  }

  /**
   * The records of an encoded batch taken from this channel. A batch that does not decode, or
   * holds other than it declares, throws an Error naming this channel (its producer and peer).
   */
  decodeBatch(message: ChannelMessage & { type: 'encoded' }): unknown[] {
    try {
      return decodeRecords(message, codec);
    } catch (error) {
      throw new Error(`${this.description}: ${errorMessage(error)}`);
    }
  }

  /** Takes the next message and returns its credit to the producer. */
  take(): ChannelMessage | undefined {
    if (this.head >= this.queue.length) return undefined;
    const message = this.queue[this.head]!;
    this.queue[this.head] = undefined as unknown as ChannelMessage;
    this.head++;
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (message.type === 'event' && message.kind === 'END_OF_INPUT') this.finished = true;
    else this.grantCredit(1);
    return message;
  }
}
