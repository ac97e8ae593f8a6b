/**
 * The input of a task with network inputs: its input gate. Records go to the head operator on
 * the logical input of their channel; per-channel watermarks, idleness and end of input are
 * combined by a watermark valve, and barriers aligned across channels, before they reach the
 * task's event path.
 */
import { NO_TIMESTAMP } from '../../common/time.ts';
import type { ChannelEvent } from '../network/channel-message.ts';
import type { InputChannel } from '../network/input-channel.ts';
import type { InputGate } from '../network/input-gate.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import { BarrierAligner } from '../checkpoint/barrier-aligner.ts';
import type { InputEvents, InputStatus, TaskInput } from './task-input.ts';
import type { TaskMetrics } from './task-metrics.ts';
import { WatermarkValve, type Announcement } from './watermark-valve.ts';

/** Takes one message of the gate per `emitNext`. */
export class GateInput implements TaskInput {
  private readonly valve: WatermarkValve;
  private readonly aligner: BarrierAligner;
  private events: InputEvents | undefined;

  constructor(
    private readonly gate: InputGate,
    /** The chain's head operator. */
    private readonly head: Pick<StreamOperator, 'processElement'>,
    private readonly metrics: TaskMetrics,
  ) {
    this.valve = new WatermarkValve(gate.channels.length);
    this.aligner = new BarrierAligner(gate, (abandoned) => this.started().abandoned(abandoned, 'a newer checkpoint barrier overtook it'));
  }

  start(events: InputEvents): void {
    this.events = events;
    this.gate.start();
  }

  async emitNext(): Promise<InputStatus> {
    const gate = this.gate;
    if (gate.failed !== undefined) throw new Error(gate.failed);
    const taken = gate.poll();
    if (!taken) return gate.finished ? 'END_OF_INPUT' : 'NOTHING_AVAILABLE';
    const { message, channel } = taken;
    const valve = this.valve;
    const announcement = valve.settled ? undefined : valve.announce(channel.index);
    if (message.type === 'event') {
      await this.onEvent(channel, message);
      if (announcement) this.onAnnouncement(channel, announcement);
      return 'MORE_AVAILABLE';
    }
    const events = this.started();
    valve.onData(channel.index);
    const records = message.type === 'records' ? message.records : channel.decodeBatch(message);
    if (message.type === 'encoded') this.metrics.bytesIn += message.bytes.length;
    const head = this.head;
    const input = channel.inputIndex;
    const timestamps = message.timestamps;
    let count = records.length;
    if (timestamps === undefined) {
      for (let i = 0; i < records.length; i++) head.processElement(records[i], NO_TIMESTAMP, input);
    } else {
      for (let i = 0; i < records.length; i++) {
        const t = timestamps[i]!;
        if (t === t) head.processElement(records[i], t, input);
        else {
          count--;
          this.advance(valve.onWatermark(channel.index, records[i] as number));
        }
      }
    }
    this.metrics.recordsIn += count;
    events.idleness(valve.allIdle);
    if (announcement) this.onAnnouncement(channel, announcement);
    return 'MORE_AVAILABLE';
  }

  /**
   * A channel's first message arrived: until every channel has announced itself the channel waits,
   * and once they all have, this task announces its own status and takes records from all.
   */
  private onAnnouncement(channel: InputChannel, announcement: Announcement): void {
    if (announcement === 'wait') return this.gate.block(channel);
    this.started().announce(this.valve.allIdle);
    this.gate.unblockAll();
  }

  whenAvailable(): Promise<void> {
    return this.gate.whenAvailable();
  }

  close(): void {
    this.gate.close();
  }

  private async onEvent(channel: InputChannel, event: ChannelEvent): Promise<void> {
    const valve = this.valve;
    switch (event.kind) {
      case 'END_OF_INPUT': {
        this.advance(valve.onEnd(channel.index));
        const aligned = this.aligner.onEndOfInput();
        if (aligned) await this.started().barrier(aligned);
        return;
      }
      case 'IDLE':
        this.advance(valve.onIdle(channel.index));
        this.started().idleness(valve.allIdle);
        return;
      case 'WATERMARK':
        this.advance(valve.onWatermark(channel.index, event.timestamp));
        return;
      case 'BARRIER': {
        const aligned = this.aligner.onBarrier(channel, event.barrier);
        if (aligned) await this.started().barrier(aligned);
        return;
      }
    }
  }

  /** Hands an advanced combined watermark to the event path. */
  private advance(watermark: number | undefined): void {
    if (watermark !== undefined) this.started().watermark(watermark);
  }

  private started(): InputEvents {
    if (!this.events) throw new Error('the gate input was used before its task started it');
    return this.events;
  }
}
