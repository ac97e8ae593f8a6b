/**
 * Preloaded into one TaskManager of a test (`node --import`), it makes that TaskManager a
 * producer that ignores credit: the first subscription from another TaskManager it serves gets a
 * barrier of a checkpoint no one triggered, which holds the consumer's channel in alignment, and
 * then 1000 more of it, far beyond the credit the consumer granted. Later subscriptions are served
 * as usual, so a job that restarts after the consumer failed runs to its end.
 */
import type { ChannelMessage, SubpartitionReader } from '../../taskmanager/network/channel-message.ts';
import { InputChannel } from '../../taskmanager/network/input-channel.ts';
import { Subpartition } from '../../taskmanager/network/result-partition.ts';

const FLOOD = 1_000;
const attach = Subpartition.prototype.attach;
let flooded = false;

Subpartition.prototype.attach = function attachAndFlood(this: Subpartition, reader: SubpartitionReader): void {
  attach.call(this, reader);
  if (flooded || reader instanceof InputChannel) return;
  flooded = true;
  const barrier: ChannelMessage = { type: 'event', kind: 'BARRIER', barrier: { checkpointId: 1_000_000_000, timestamp: Date.now(), savepointRoot: '', full: false, final: false } };
  for (let i = 0; i <= FLOOD; i++) reader.send(barrier);
};
