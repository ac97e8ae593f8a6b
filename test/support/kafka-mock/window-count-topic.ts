/**
 * Test helper: window-count input written to a Kafka topic, and its failure-free reference.
 */
import { SplitMixRandom } from '../../../connectors/datagen/split-mix-random.ts';
import type { Reference } from '../../chaos/chaos-inputs.ts';
import { produceMessages } from './kafka-test-data.ts';

/**
 * Writes `records` events `{ts, key}` over 50 keys to `partitions` partitions of `topic`: event i
 * goes to partition i mod partitions, each partition's events 10 ms apart with up to 1 s of
 * disorder (inside window-count's 2 s bound, so none is late). Returns the count per key and
 * 10 s window that window-count must produce.
 */
export async function writeWindowCountTopic(bootstrap: string, topic: string, partitions: number, records: number): Promise<Reference> {
  const random = new SplitMixRandom(11);
  const t0 = 1_700_000_000_000;
  const counts = new Map<string, number>();
  const messages = [];
  for (let i = 0; i < records; i++) {
    const ts = t0 + Math.floor(i / partitions) * 10 - random.nextInt(1_000);
    const key = `k${random.nextInt(50)}`;
    const start = ts - (ts % 10_000);
    const id = JSON.stringify([key, start]);
    counts.set(id, (counts.get(id) ?? 0) + 1);
    messages.push({ value: JSON.stringify({ ts, key }), partition: i % partitions });
  }
  await produceMessages(bootstrap, topic, messages);
  const reference: Reference = new Map();
  for (const [id, count] of counts) {
    const [key, start] = JSON.parse(id) as [string, number];
    reference.set(JSON.stringify({ key, window_start: start, window_end: start + 10_000, count }), 1);
  }
  return reference;
}
