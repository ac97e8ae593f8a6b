/** IntervalJoinOperator: matching, bounds, lateness and buffer cleanup, on real keyed state. */
import { describe, expect, it } from 'vitest';
import type { IntervalJoinSpec } from '../../../client/api/interval-join.ts';
import { OutputTag, type ProcessJoinFunction } from '../../../client/index.ts';
import { IntervalJoinOperator, LEFT_BUFFER, RIGHT_BUFFER } from '../../../taskmanager/operators/interval-join-operator.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';

interface Rec {
  key: string;
  id: string;
}

const LEFT_LATE = new OutputTag<Rec>('left-late');
const RIGHT_LATE = new OutputTag<Rec>('right-late');

/** Emits `left+right@leftTs/rightTs`. */
const pairs: ProcessJoinFunction<Rec, Rec, string> = {
  processElement(left, right, ctx, out) {
    out.collect(`${left.id}+${right.id}@${ctx.leftTimestamp()}/${ctx.rightTimestamp()}`);
  },
};

function spec(lowerBound: number, upperBound: number, more: Partial<IntervalJoinSpec> = {}): IntervalJoinSpec {
  return { lowerBound, upperBound, lowerBoundInclusive: true, upperBoundInclusive: true, ...more };
}

async function open(s: IntervalJoinSpec, fn: ProcessJoinFunction<Rec, Rec, unknown> = pairs, cacheEntries?: number) {
  const key = (r: unknown): string => (r as Rec).key;
  return OperatorHarness.open((setup) => new IntervalJoinOperator(setup, fn as ProcessJoinFunction<unknown, unknown, unknown>, s), {
    keySelectors: [key, key],
    cacheEntries,
  });
}

const left = (id: string, key = 'k'): Rec => ({ key, id });
const right = left;

describe('IntervalJoinOperator', () => {
  it('joins out-of-order input with inclusive bounds, stamping pairs with the later time', async () => {
    // b matches a when b.ts - a.ts is in [-2, 1].
    const h = await open(spec(-2, 1));
    h.processElement(left('a5'), 5, 0);
    h.processElement(right('b4'), 4, 1);
    h.processElement(left('a10'), 10, 0);
    h.processElement(right('b11'), 11, 1);
    h.processElement(left('a7'), 7, 0);
    h.processElement(right('b6'), 6, 1);
    h.processElement(right('b3'), 3, 1);
    h.processElement(right('b9'), 9, 1);
    expect(h.values()).toEqual(['a5+b4@5/4', 'a10+b11@10/11', 'a5+b6@5/6', 'a7+b6@7/6', 'a5+b3@5/3', 'a10+b9@10/9']);
    expect(h.output.records.map((r) => r.timestamp)).toEqual([5, 11, 6, 7, 5, 10]);
    await h.finishAndClose();
  });

  it('joins only records of the same key', async () => {
    const h = await open(spec(0, 0));
    h.processElement(left('ax', 'x'), 1, 0);
    h.processElement(left('ay', 'y'), 1, 0);
    h.processElement(right('by', 'y'), 1, 1);
    h.processElement(right('bz', 'z'), 1, 1);
    h.processElement(right('bx', 'x'), 1, 1);
    expect(h.values()).toEqual(['ay+by@1/1', 'ax+bx@1/1']);
    await h.finishAndClose();
  });

  it('excludes an exclusive lower bound: pv over (stock.ts - 5 min, stock.ts]', async () => {
    const T = 1_000_000;
    const pv = (n: number): Rec => ({ key: 'sku', id: String(n) });
    const stock = (id: string): Rec => ({ key: 'sku', id });
    const h = await open(spec(-300_000, 0, { lowerBoundInclusive: false }));
    h.processElement(pv(8), T, 1);
    h.processElement(stock('s1'), T, 0);
    h.processElement(pv(1), T - 300_000, 1);
    h.processElement(pv(16), T + 1, 1);
    h.processElement(pv(2), T - 299_999, 1);
    h.processElement(stock('s2'), T + 300_000, 0);
    h.processElement(pv(4), T - 1000, 1);
    const sums = new Map<string, number>();
    for (const v of h.values<string>()) {
      const [s, n] = v.split('@')[0]!.split('+') as [string, string];
      sums.set(s, (sums.get(s) ?? 0) + Number(n));
    }
    // s1: 2 + 4 + 8 (T - 300000 excluded, T + 1 outside); s2: only T + 1 (T itself is its excluded lower bound).
    expect(Object.fromEntries(sums)).toEqual({ s1: 14, s2: 16 });
    await h.finishAndClose();
  });

  it('excludes an exclusive upper bound', async () => {
    const h = await open(spec(0, 5, { upperBoundInclusive: false }));
    h.processElement(left('a10'), 10, 0);
    h.processElement(right('b15'), 15, 1);
    h.processElement(right('b14'), 14, 1);
    h.processElement(right('b10'), 10, 1);
    h.processElement(right('b9'), 9, 1);
    expect(h.values()).toEqual(['a10+b14@10/14', 'a10+b10@10/10']);
    await h.finishAndClose();
  });

  it('cleans buffered records once the watermark passes their relevance, and sends late records to side outputs', async () => {
    // b matches a when b.ts - a.ts is in [-2, 1]: a stays while a right record <= a + 1 may come,
    // b while a left record <= b + 2 may come.
    const h = await open(spec(-2, 1, { leftLateDataTag: LEFT_LATE.id, rightLateDataTag: RIGHT_LATE.id }));
    const buffered = (): { left: number[]; right: number[] } => ({
      left: h.context.getMapState(LEFT_BUFFER).keys().sort((x, y) => x - y),
      right: h.context.getMapState(RIGHT_BUFFER).keys().sort((x, y) => x - y),
    });
    h.processElement(left('a10'), 10, 0);
    h.processElement(right('b9'), 9, 1);
    h.processElement(right('b12'), 12, 1);
    expect(h.values()).toEqual(['a10+b9@10/9']);
    expect(buffered()).toEqual({ left: [10], right: [9, 12] });

    h.processWatermark(11);
    expect(buffered()).toEqual({ left: [10], right: [9, 12] });
    // A record at the watermark is not late, and still meets a10 (11 - 10 = 1, the inclusive bound).
    h.processElement(right('b11'), 11, 1);
    expect(h.values()).toEqual(['a10+b9@10/9', 'a10+b11@10/11']);

    h.processWatermark(12);
    // a10 matches right records up to 11, b9 left ones up to 11: neither can meet a non-late record now.
    expect(buffered()).toEqual({ left: [], right: [11, 12] });

    h.processElement(left('a11'), 11, 0);
    h.processElement(right('b10'), 10, 1);
    expect(h.sideValues(LEFT_LATE.id)).toEqual([left('a11')]);
    expect(h.sideValues(RIGHT_LATE.id)).toEqual([right('b10')]);
    expect(h.output.side.get(LEFT_LATE.id)![0]!.timestamp).toBe(11);

    h.processElement(left('a12'), 12, 0);
    expect(h.values().slice(2)).toEqual(['a12+b12@12/12', 'a12+b11@12/11']);

    h.processWatermark(14);
    expect(buffered()).toEqual({ left: [], right: [12] });
    h.processWatermark(15);
    expect(buffered()).toEqual({ left: [], right: [] });
    await h.finishAndClose();
  });

  it('drops late records without a side output, and does not buffer records that can no longer match', async () => {
    // Right records match left ones 5 to 10 ms earlier: a left record is useless once the
    // watermark passes a - 5.
    const h = await open(spec(-10, -5));
    h.processWatermark(100);
    h.processElement(right('b90'), 90, 1);
    h.processElement(left('a100'), 100, 0);
    h.processElement(right('b95'), 100, 1);
    expect(h.values()).toEqual([]);
    expect(h.output.side.size).toBe(0);
    expect(h.context.getMapState(LEFT_BUFFER).keys()).toEqual([]);
    expect(h.context.getMapState(RIGHT_BUFFER).keys()).toEqual([100]);
    await h.finishAndClose();
  });

  it('clears every buffer at the end of input', async () => {
    const h = await open(spec(-1000, 1000));
    h.processElement(left('a'), 1, 0);
    h.processElement(right('b'), 2, 1);
    h.processWatermark(Number.POSITIVE_INFINITY);
    expect(h.context.getMapState(LEFT_BUFFER).keys()).toEqual([]);
    expect(h.context.getMapState(RIGHT_BUFFER).keys()).toEqual([]);
    await h.finishAndClose();
  });

  it('routes side outputs of the join function with the pair timestamp', async () => {
    const far = new OutputTag<string>('far');
    const fn: ProcessJoinFunction<Rec, Rec, string> = {
      processElement(l, r, ctx, out) {
        if (Math.abs(ctx.leftTimestamp() - ctx.rightTimestamp()) > 1) ctx.output(far, `${l.id}~${r.id}@${ctx.timestamp()}`);
        else out.collect(`${l.id}+${r.id}`);
      },
    };
    const h = await open(spec(-5, 5), fn);
    h.processElement(left('a'), 10, 0);
    h.processElement(right('b'), 13, 1);
    h.processElement(right('c'), 9, 1);
    expect(h.values()).toEqual(['a+c']);
    expect(h.sideValues(far.id)).toEqual(['a~b@13']);
    expect(h.output.side.get(far.id)![0]!.timestamp).toBe(13);
    await h.finishAndClose();
  });

  it('keeps its buffers through state flushes and cache evictions', async () => {
    const h = await open(spec(-1, 1), pairs, 1);
    const feed: [Rec, number, number][] = [
      [left('a1', 'x'), 1, 0],
      [left('a1', 'y'), 1, 0],
      [left('a2', 'x'), 1, 0],
      [right('b1', 'z'), 2, 1],
      [right('b1', 'y'), 2, 1],
      [right('b2', 'x'), 0, 1],
      [right('b3', 'x'), 3, 1],
    ];
    for (const [rec, ts, input] of feed) {
      h.processElement(rec, ts, input);
      await h.flush();
    }
    expect(h.values()).toEqual(['a1+b1@1/2', 'a1+b2@1/0', 'a2+b2@1/0']);
    await h.finishAndClose();
  });

  it('needs event-time timestamps', async () => {
    const h = await open(spec(0, 1));
    expect(() => h.processElement(left('a'), undefined, 0)).toThrow(/event-time timestamps/);
    await h.close();
  });
});
