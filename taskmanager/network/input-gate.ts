/**
 * Merges the input channels of a task. Channels with data wait in a ready queue, taken in turn,
 * so one busy channel cannot starve the others. Barrier alignment blocks channels: a blocked
 * channel keeps its data (and so withholds credit from its producer) until it is unblocked.
 */
import { deferred, type Deferred } from '../../common/async.ts';
import type { ChannelMessage } from './channel-message.ts';
import type { ChannelListener, InputChannel } from './input-channel.ts';

/** A message taken from a gate, with the channel it came from. */
export interface GateMessage {
  readonly channel: InputChannel;
  readonly message: ChannelMessage;
}

/** All input channels of a task. */
export class InputGate implements ChannelListener {
  readonly channels: InputChannel[] = [];
  private readonly ready: InputChannel[] = [];
  private readonly queued = new Set<InputChannel>();
  private readonly blocked = new Set<InputChannel>();
  private waiter: Deferred<void> | undefined;
  private failure: string | undefined;
  private finishedCount = 0;

  /** Adds a channel; call before `start`. */
  add(channel: InputChannel): void {
    this.channels.push(channel);
  }

  /** Connects every channel. */
  start(): void {
    for (const c of this.channels) c.start();
  }

  /** Whether every channel delivered end-of-input. */
  get finished(): boolean {
    return this.finishedCount === this.channels.length;
  }

  /** The first channel failure, if any. */
  get failed(): string | undefined {
    return this.failure;
  }

  /** Takes the next message of any channel, or undefined if none is waiting. */
  poll(): GateMessage | undefined {
    while (this.ready.length > 0) {
      const channel = this.ready.shift()!;
      if (this.blocked.has(channel)) {
        this.queued.delete(channel);
        continue;
      }
      const message = channel.take();
      if (!message) {
        this.queued.delete(channel);
        continue;
      }
      if (channel.hasData) this.ready.push(channel);
      else this.queued.delete(channel);
      if (channel.finished && message.type === 'event' && message.kind === 'END_OF_INPUT') this.finishedCount++;
      return { channel, message };
    }
    return undefined;
  }

  /** Takes no more messages from a channel until `unblockAll` (it delivered a barrier). */
  block(channel: InputChannel): void {
    this.blocked.add(channel);
  }

  /** Resumes every blocked channel (alignment completed or was abandoned). */
  unblockAll(): void {
    const channels = [...this.blocked];
    this.blocked.clear();
    for (const channel of channels) if (channel.hasData) this.onChannelData(channel);
  }

  /** Resolves when a message is waiting or a channel failed. */
  whenAvailable(): Promise<void> {
    if (this.ready.length > 0 || this.failure !== undefined) return Promise.resolve();
    this.waiter ??= deferred<void>();
    return this.waiter.promise;
  }

  onChannelData(channel: InputChannel): void {
    if (!this.queued.has(channel)) {
      this.queued.add(channel);
      this.ready.push(channel);
    }
    this.wake();
  }

  onChannelFailure(_channel: InputChannel, reason: string): void {
    this.failure ??= reason;
    this.wake();
  }

  /** Disconnects every channel. */
  close(): void {
    for (const c of this.channels) c.close();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve();
  }
}
