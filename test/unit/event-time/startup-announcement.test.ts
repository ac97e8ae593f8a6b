/**
 * Event time does not depend on which producer starts first: a source subtask without splits is
 * idle from the start, every channel opens with its status, and a consumer takes records only once
 * every channel has announced itself. Checked over every interleaving of three channels.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WatermarkStrategy } from '../../../client/api/watermark-strategy.ts';
import { CollectionSourceReader } from '../../../connectors/collection/collection-source-reader.ts';
import type { CollectionSplit } from '../../../connectors/collection/collection-split.ts';
import { FileSource } from '../../../connectors/file/file-source.ts';
import type { FileSplit } from '../../../connectors/file/file-split.ts';
import { MAX_WATERMARK } from '../../../common/time.ts';
import { END_OF_INPUT, IDLE, type ChannelMessage } from '../../../taskmanager/network/channel-message.ts';
import { SourceOperator } from '../../../taskmanager/operators/source-operator.ts';
import type { Output } from '../../../taskmanager/operators/stream-operator.ts';
import { ACTIVE, WatermarkValve } from '../../../taskmanager/task/watermark-valve.ts';
import { readerContext } from '../connectors/contexts.ts';

interface Event {
  ts: number;
}

const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Event>(2_000).withTimestampAssigner((e) => e.ts).spec as never;

/** An output that records what the source emits, in order. */
class RecordingOutput implements Output {
  readonly emitted: ({ record: unknown; timestamp: number } | { watermark: number })[] = [];
  collect(record: unknown, timestamp: number): void {
    this.emitted.push({ record, timestamp });
  }
  collectSide(): void {}
  emitWatermark(watermark: number): void {
    this.emitted.push({ watermark });
  }
}

function sourceWith(records: Event[], splits: CollectionSplit[]): SourceOperator {
  return new SourceOperator(new CollectionSourceReader(records), splits, new RecordingOutput(), 'in', strategy, () => 0);
}

describe('a source subtask without splits', () => {
  it('is idle from the start, while one with a split is not', async () => {
    const records = [{ ts: 1000 }];
    const empty = sourceWith(records, []);
    await empty.open();
    expect(empty.idle).toBe(true);
    const owner = sourceWith(records, [{ id: 's0', start: 0, end: 1 }]);
    await owner.open();
    expect(owner.idle).toBe(false);
  });

  it('is idle when every split it owns was restored as finished', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-announce-'));
    try {
      const path = join(dir, 'in.jsonl');
      writeFileSync(path, '{"ts":1}\n');
      const file = new FileSource(path);
      const [split] = await file.enumerateSplits();
      const read: FileSplit = { ...split!, offset: 9, finished: true };
      const finished = new SourceOperator(file.createReader(readerContext()), [read], new RecordingOutput(), 'in', strategy, () => 0);
      await finished.open();
      expect(finished.idle).toBe(true);
      await finished.close();
      const unread = new SourceOperator(file.createReader(readerContext()), [split!], new RecordingOutput(), 'in', strategy, () => 0);
      await unread.open();
      expect(unread.idle).toBe(false);
      await unread.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is idle without a watermark strategy too', async () => {
    const source = new SourceOperator(new CollectionSourceReader([]), [], new RecordingOutput(), 'in', undefined);
    await source.open();
    expect(source.idle).toBe(true);
  });
});

describe('WatermarkValve announcements', () => {
  it('says wait until the last channel announces, then settled, then nothing', () => {
    const valve = new WatermarkValve(3);
    expect(valve.settled).toBe(false);
    expect(valve.announce(1)).toBe('wait');
    expect(valve.announce(1)).toBeUndefined();
    expect(valve.announce(0)).toBe('wait');
    expect(valve.settled).toBe(false);
    expect(valve.announce(2)).toBe('settled');
    expect(valve.settled).toBe(true);
    expect(valve.announce(2)).toBeUndefined();
  });

  it('moves nothing for the ACTIVE announcement', () => {
    const valve = new WatermarkValve(1);
    if (ACTIVE.type !== 'event' || ACTIVE.kind !== 'WATERMARK') throw new Error('ACTIVE is a watermark event');
    expect(valve.onWatermark(0, ACTIVE.timestamp)).toBeUndefined();
    expect(valve.onWatermark(0, 5)).toBe(5);
  });
});

/** A record with its timestamp, as a channel carries it. */
interface Rec {
  readonly record: number;
}
type Message = ChannelMessage | Rec;

/**
 * Consumes the channels the way a task does: takes the next message of the first channel in
 * `order` that is not blocked, blocks a channel on its first message until all have announced, and
 * returns the combined watermark each record was processed at.
 */
function consume(channels: Message[][], order: number[]): Map<number, number> {
  const valve = new WatermarkValve(channels.length);
  const blocked = new Set<number>();
  const queues = channels.map((c) => [...c]);
  const seenAt = new Map<number, number>();
  let step = 0;
  while (queues.some((q) => q.length > 0)) {
    const channel = order[step++ % order.length]!;
    const queue = queues[channel]!;
    if (blocked.has(channel) || queue.length === 0) {
      if (step > 10_000) throw new Error('no channel can make progress');
      continue;
    }
    const message = queue.shift()!;
    const announcement = valve.settled ? undefined : valve.announce(channel);
    if ('record' in message) seenAt.set(message.record, valve.combined);
    else if (message.type === 'event' && message.kind === 'IDLE') valve.onIdle(channel);
    else if (message.type === 'event' && message.kind === 'END_OF_INPUT') valve.onEnd(channel);
    else if (message.type === 'event' && message.kind === 'WATERMARK') valve.onWatermark(channel, message.timestamp);
    if (announcement === 'wait') blocked.add(channel);
    else if (announcement === 'settled') blocked.clear();
  }
  return seenAt;
}

/** Every order in which the consumer may look at three channels. */
const ORDERS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
  [0, 0, 0, 0, 0, 0, 1, 2],
];

describe('a consumer of one source subtask with a split and two without', () => {
  it('processes every record at the same watermark, whichever channel comes first', async () => {
    const records = [{ ts: 1000 }, { ts: 14_000 }, { ts: 20_500 }, { ts: 3000 }];
    const output = new RecordingOutput();
    const split: CollectionSplit = { id: 's0', start: 0, end: records.length };
    const owner = new SourceOperator(new CollectionSourceReader(records), [split], output, 'in', strategy, () => 0);
    await owner.open();
    expect(owner.idle).toBe(false);
    while (owner.poll(1) !== 'end');
    owner.endOfInput();
    const ownerChannel: Message[] = [ACTIVE];
    for (const e of output.emitted) {
      if ('watermark' in e) ownerChannel.push({ type: 'event', kind: 'WATERMARK', timestamp: e.watermark });
      else ownerChannel.push({ record: (e.record as Event).ts });
    }
    ownerChannel.push(END_OF_INPUT);
    const emptyChannel: Message[] = [IDLE, { type: 'event', kind: 'WATERMARK', timestamp: MAX_WATERMARK }, END_OF_INPUT];
    const alone = consume([ownerChannel], [0]);
    expect(alone.get(3000)).toBe(20_500 - 2_001);
    for (const order of ORDERS) {
      expect(consume([ownerChannel, emptyChannel, emptyChannel], order), `order ${order.join(',')}`).toEqual(alone);
    }
  });
});
