/**
 * An input channel without a transport, for tests of gates and tasks: the test delivers messages
 * with `send` (as a transport would) and reads the credit the channel gave back to its producer.
 */
import type { CheckpointBarrier } from '../../common/rpc/index.ts';
import type { ChannelMessage } from '../../taskmanager/network/channel-message.ts';
import { InputChannel } from '../../taskmanager/network/input-channel.ts';
import type { InputGate } from '../../taskmanager/network/input-gate.ts';

/** A channel the test feeds by hand; it adds itself to `gate`. */
export class TestInputChannel extends InputChannel {
  /** Credit granted back to the producer so far (one per message taken, end of input aside). */
  credits = 0;
  /** Whether the gate connected the channel. */
  started = false;
  /** Whether the gate disconnected the channel. */
  closed = false;

  constructor(gate: InputGate, inputIndex = 0, initialCredit = 10) {
    const index = gate.channels.length;
    super(index, inputIndex, `test channel ${index}`, gate, initialCredit);
    gate.add(this);
  }

  start(): void {
    this.started = true;
  }

  protected grantCredit(n: number): void {
    this.credits += n;
  }

  close(): void {
    this.closed = true;
  }
}

/** A batch of records without timestamps. */
export function recordBatch(...values: unknown[]): ChannelMessage {
  return { type: 'records', records: values, timestamps: undefined };
}

/** A batch of records with timestamps. */
export function timedBatch(...entries: [value: unknown, timestamp: number][]): ChannelMessage {
  return { type: 'records', records: entries.map((e) => e[0]), timestamps: entries.map((e) => e[1]) };
}

/** A checkpoint barrier (full for odd ids, so that both kinds occur). */
export function testBarrier(checkpointId: number, overrides: Partial<CheckpointBarrier> = {}): CheckpointBarrier {
  return { checkpointId, timestamp: 1000 + checkpointId, savepointRoot: '', full: checkpointId % 2 === 1, final: false, ...overrides };
}

/** The in-band event carrying `testBarrier(checkpointId)`. */
export function barrierEvent(checkpointId: number): ChannelMessage {
  return { type: 'event', kind: 'BARRIER', barrier: testBarrier(checkpointId) };
}

/** The in-band watermark event. */
export function watermarkEvent(timestamp: number): ChannelMessage {
  return { type: 'event', kind: 'WATERMARK', timestamp };
}
