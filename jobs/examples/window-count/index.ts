/**
 * window-count: reads `in` (JSONL `{ts, key}`) with a watermark bound of 2 s, keys by `key`, counts
 * over 10 s event-time tumbling windows, and emits `{key, window_start, window_end, count}` to
 * `out`. Records behind the watermark (their window already closed) go to `late`, as read, when
 * that output is given; otherwise they are dropped and counted.
 */
import {
  defineJob,
  MALFORMED,
  OutputTag,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type AggregateFunction,
  type Collector,
  type ProcessWindowContext,
  type ProcessWindowFunction,
  type TimeWindow,
} from 'sluice';

/** Window size. */
const WINDOW_MS = 10_000;
/** Watermark bound: records up to this much older than the newest one are not late. */
const OUT_OF_ORDERNESS_MS = 2_000;

/** A valid input record. */
interface Event {
  ts: number;
  key: string | number;
}

/** An output record. */
interface WindowCount {
  key: string | number;
  window_start: number;
  window_end: number;
  count: number;
}

/** Why a record is malformed, or undefined when it is valid. */
function invalid(record: Record<string, unknown>): string | undefined {
  const { ts, key } = record;
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts)) return `ts must be an integer, got ${ts === undefined ? 'nothing' : JSON.stringify(ts)}`;
  if (typeof key === 'string') return undefined;
  if (typeof key === 'number' && Number.isSafeInteger(key)) return undefined;
  return `key must be a string or a safe integer, got ${key === undefined ? 'nothing' : JSON.stringify(key)}`;
}

/** Counts records incrementally, so a window holds one number per key, not its records. */
const countRecords: AggregateFunction<Event, number, number> = {
  createAccumulator: () => 0,
  add: (_event, count) => count + 1,
  getResult: (count) => count,
  merge: (a, b) => a + b,
};

/** Adds the key and the window bounds to the count. */
const describeWindow: ProcessWindowFunction<number, WindowCount, string | number, TimeWindow> = {
  process(key: string | number, ctx: ProcessWindowContext<TimeWindow>, counts: number[], out: Collector<WindowCount>) {
    out.collect({ key, window_start: ctx.window.start, window_end: ctx.window.end, count: counts[0] ?? 0 });
  },
};

/** Where late records go. */
const LATE = new OutputTag<Event>('late');

export default defineJob({
  name: 'window-count',
  build(env, args) {
    const watermarks = WatermarkStrategy.forBoundedOutOfOrderness<Event>(OUT_OF_ORDERNESS_MS).withTimestampAssigner((e) => e.ts);
    const events = env.fromSource(args.source<Event>('in', { validate: invalid }), watermarks, 'in');
    const malformed = args.optionalSink('malformed');
    if (malformed) events.getSideOutput(MALFORMED).sinkTo(malformed).name('malformed');
    // Without a `late` output, late records are dropped (and counted), and the count is
    // aggregated locally before the keyed exchange.
    const late = args.optionalSink('late');
    const windows = events.keyBy((e) => e.key).window(TumblingEventTimeWindows.of(WINDOW_MS));
    if (late) windows.sideOutputLateData(LATE);
    const counts = windows.aggregate(countRecords, describeWindow).name('count');
    counts.sinkTo(args.sink('out')).name('out');
    if (late) counts.getSideOutput(LATE).sinkTo(late).name('late');
  },
});
