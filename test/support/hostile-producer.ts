/**
 * Preloaded into one TaskManager of a test (`node --import`), it makes that TaskManager a hostile
 * producer. The first subscription from another TaskManager it serves gets the fault that
 * `SLUICE_TEST_PRODUCER_FAULT` names:
 * - `over-credit`: a barrier of a checkpoint no one triggered, which holds the consumer's channel
 *   in alignment, then 1000 more of it, far beyond the credit the consumer granted;
 * - `malformed-timestamps`: a batch of 3 records whose timestamp block holds 2.
 * Later subscriptions are served as usual, so a job that restarts after the consumer failed runs
 * to its end.
 */
import { createRecordCodec } from '../../common/codec.ts';
import type { ChannelMessage, SubpartitionReader } from '../../taskmanager/network/channel-message.ts';
import { InputChannel } from '../../taskmanager/network/input-channel.ts';
import { Subpartition } from '../../taskmanager/network/result-partition.ts';

/** The faults this preload can inject. */
export type ProducerFault = 'over-credit' | 'malformed-timestamps';

const FAULTS: Record<ProducerFault, () => ChannelMessage[]> = {
  'over-credit': () => {
    const barrier: ChannelMessage = { type: 'event', kind: 'BARRIER', barrier: { checkpointId: 1_000_000_000, timestamp: Date.now(), savepointRoot: '', full: false, final: false } };
    return Array.from({ length: 1_001 }, () => barrier);
  },
  'malformed-timestamps': () => [{ type: 'encoded', bytes: createRecordCodec().encodeBatch([{ text: 'a' }, { text: 'b' }, { text: 'c' }]), count: 3, timestamps: new Float64Array(2) }],
};

const fault = process.env.SLUICE_TEST_PRODUCER_FAULT as ProducerFault | undefined;
const messages = fault === undefined ? undefined : FAULTS[fault];
if (!messages) throw new Error(`SLUICE_TEST_PRODUCER_FAULT must name one of ${Object.keys(FAULTS).join(', ')}, got ${String(fault)}`);

const attach = Subpartition.prototype.attach;
let injected = false;

Subpartition.prototype.attach = function attachHostile(this: Subpartition, reader: SubpartitionReader): void {
  attach.call(this, reader);
  if (injected || reader instanceof InputChannel) return;
  injected = true;
  for (const message of messages()) reader.send(message);
};
