/**
 * Combines the watermarks of a task's input channels: the task's event time is the minimum over
 * the channels that are neither idle nor ended. An ended channel counts as the end of time, so the
 * combined watermark reaches the maximum once every channel has ended. It never moves backwards.
 *
 * Every task opens each output channel with its status, `ACTIVE` or `IDLE` (a source subtask
 * without splits is idle from the start). A consumer takes no records until every channel has
 * announced itself: a channel that did waits for the others (the task blocks it), so that which
 * producer happened to start first never decides which records are late.
 */
import { MAX_WATERMARK, MIN_WATERMARK } from '../../common/time.ts';
import type { ChannelMessage } from '../network/channel-message.ts';

/**
 * The status a task opens its output channels with when it holds event time back: a watermark at
 * the minimum, which moves nothing but counts as the channel's announcement.
 */
export const ACTIVE: ChannelMessage = { type: 'event', kind: 'WATERMARK', timestamp: MIN_WATERMARK };

/** What the first message of a channel means for the task; see `WatermarkValve.announce`. */
export type Announcement = 'wait' | 'settled';

/** Per-channel watermarks and their minimum. */
export class WatermarkValve {
  private readonly watermarks: number[];
  private readonly idle: boolean[];
  private idleCount = 0;
  private readonly announced: boolean[];
  private unannounced: number;
  /** The combined watermark last reported. */
  combined = MIN_WATERMARK;

  constructor(channels: number) {
    this.watermarks = new Array<number>(channels).fill(MIN_WATERMARK);
    this.idle = new Array<boolean>(channels).fill(false);
    this.announced = new Array<boolean>(channels).fill(false);
    this.unannounced = channels;
  }

  /** Whether every channel has announced itself, so records may be taken from all of them. */
  get settled(): boolean {
    return this.unannounced === 0;
  }

  /**
   * Notes a message of `channel`. Returns undefined when the channel had announced itself before;
   * 'wait' for a first message while other channels have not announced (take nothing more from
   * this channel until they have); 'settled' when this was the last channel to announce itself.
   */
  announce(channel: number): Announcement | undefined {
    if (this.announced[channel] !== false) return undefined;
    this.announced[channel] = true;
    this.unannounced--;
    return this.unannounced === 0 ? 'settled' : 'wait';
  }

  /** Whether every channel is idle (ended ones aside). */
  get allIdle(): boolean {
    return this.idleCount > 0 && this.idleCount === this.countNotEnded();
  }

  /** A watermark arrived on `channel`; returns the new combined watermark when it advanced. */
  onWatermark(channel: number, watermark: number): number | undefined {
    this.activate(channel);
    const previous = this.watermarks[channel]!;
    if (watermark <= previous) return undefined;
    this.watermarks[channel] = watermark;
    return previous <= this.combined ? this.recompute() : undefined;
  }

  /** Data arrived on `channel`: it is active again. */
  onData(channel: number): void {
    if (this.idle[channel]) this.activate(channel);
  }

  /** `channel` declared itself idle; returns the new combined watermark when it advanced. */
  onIdle(channel: number): number | undefined {
    if (this.idle[channel] || this.watermarks[channel] === MAX_WATERMARK) return undefined;
    this.idle[channel] = true;
    this.idleCount++;
    return this.recompute();
  }

  /** `channel` ended; returns the new combined watermark when it advanced. */
  onEnd(channel: number): number | undefined {
    this.activate(channel);
    this.watermarks[channel] = MAX_WATERMARK;
    return this.recompute();
  }

  private activate(channel: number): void {
    if (!this.idle[channel]) return;
    this.idle[channel] = false;
    this.idleCount--;
  }

  private countNotEnded(): number {
    let n = 0;
    for (const w of this.watermarks) if (w !== MAX_WATERMARK) n++;
    return n;
  }

  private recompute(): number | undefined {
    let min = MAX_WATERMARK;
    let active = 0;
    for (let i = 0; i < this.watermarks.length; i++) {
      if (this.idle[i]) continue;
      active++;
      const w = this.watermarks[i]!;
      if (w < min) min = w;
    }
    if (active === 0) return undefined;
    if (min > this.combined) {
      this.combined = min;
      return min;
    }
    return undefined;
  }
}
