/** Window joins and co-groups: the graph they build, and the pairs / groups per key and window. */
import { describe, expect, it } from 'vitest';
import { fromCollection } from '../../../connectors/index.ts';
import { StreamExecutionEnvironment } from '../../../client/api/environment.ts';
import type { TaggedUnion } from '../../../client/api/joins/join-functions.ts';
import { TumblingEventTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import { emitted, openNode, sortedByJson, windowNode } from './window-fixture.ts';

interface Left {
  id: string;
  l: string;
}
interface Right {
  id: string;
  r: string;
}

// Both sides out of order and interleaved; windows of 10 s.
const INPUT: [TaggedUnion<Left, Right>, number][] = [
  [{ side: 2, value: { id: 'k1', r: 'b3' } }, 9_999],
  [{ side: 1, value: { id: 'k1', l: 'a4' } }, 15_000],
  [{ side: 1, value: { id: 'k1', l: 'a1' } }, 1_000],
  [{ side: 2, value: { id: 'k3', r: 'b2' } }, 2_000],
  [{ side: 2, value: { id: 'k1', r: 'b4' } }, 12_000],
  [{ side: 1, value: { id: 'k2', l: 'a3' } }, 3_000],
  [{ side: 2, value: { id: 'k1', r: 'b1' } }, 5_000],
  [{ side: 2, value: { id: 'k2', r: 'b5' } }, 19_000],
  [{ side: 1, value: { id: 'k1', l: 'a2' } }, 8_000],
];

function streams() {
  const env = new StreamExecutionEnvironment();
  const left = env.fromSource(fromCollection<Left>([]), 'left');
  const right = env.fromSource(fromCollection<Right>([]), 'right');
  return { env, left, right };
}

describe('window joins', () => {
  it('join emits every pair with equal keys in the same window', async () => {
    const { env, left, right } = streams();
    left
      .join(right)
      .where((a) => a.id)
      .equalTo((b) => b.id)
      .window(TumblingEventTimeWindows.of(10_000))
      .apply((a, b) => `${a.l}-${b.r}`);
    const node = windowNode(env);
    expect(node.name).toBe('Join: TumblingEventTimeWindows(10000)');
    expect(node.inputs).toHaveLength(2);
    expect(node.inputs.every((e) => e.partitioning === 'hash' && e.from.kind === 'map')).toBe(true);
    const tagLeft = node.inputs[0]!.from.fn as (v: unknown) => unknown;
    expect(tagLeft({ id: 'x', l: 'y' })).toEqual({ side: 1, value: { id: 'x', l: 'y' } });

    const { harness } = await openNode(node);
    for (const [tagged, ts] of INPUT) harness.processElement(tagged, ts);
    harness.processWatermark(9_999);
    expect(sortedByJson(emitted(harness))).toEqual(sortedByJson([
      ['a1-b1', 9_999],
      ['a1-b3', 9_999],
      ['a2-b1', 9_999],
      ['a2-b3', 9_999],
    ]));
    harness.clearOutput();
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(emitted(harness)).toEqual([['a4-b4', 19_999]]);
  });

  it('coGroup gets both sides per key and window, also when one side is empty', async () => {
    const { env, left, right } = streams();
    left
      .coGroup(right)
      .where((a) => a.id)
      .equalTo((b) => b.id)
      .window(TumblingEventTimeWindows.of(10_000))
      .apply<{ id: string; ls: string[]; rs: string[] }>((as, bs, out) => {
        out.collect({ id: (as[0] ?? bs[0])!.id, ls: as.map((a) => a.l).sort(), rs: bs.map((b) => b.r).sort() });
      });
    const { harness } = await openNode(windowNode(env));
    for (const [tagged, ts] of INPUT) harness.processElement(tagged, ts);
    harness.processWatermark(Number.POSITIVE_INFINITY);
    expect(sortedByJson(emitted(harness))).toEqual(sortedByJson([
      [{ id: 'k1', ls: ['a1', 'a2'], rs: ['b1', 'b3'] }, 9_999],
      [{ id: 'k2', ls: ['a3'], rs: [] }, 9_999],
      [{ id: 'k3', ls: [], rs: ['b2'] }, 9_999],
      [{ id: 'k1', ls: ['a4'], rs: ['b4'] }, 19_999],
      [{ id: 'k2', ls: [], rs: ['b5'] }, 19_999],
    ]));
  });
});
