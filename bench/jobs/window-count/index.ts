/**
 * Benchmark job: datagen (monotonous event time) → keyBy(key) → 1 s tumbling event-time window
 * count (incremental, state in LevelDB) → counting sink. Arguments: `count` (events), `result`, and
 * `localAggregation=false` to send every event across the keyed exchange (no local window aggregation).
 */
import { DataGenSource, defineJob, TumblingEventTimeWindows, WatermarkStrategy, type AggregateFunction, type ProcessWindowFunction, type TimeWindow } from 'sluice';
import { CountingSink } from '../support/counting-sink.ts';
import { generateEvent, SEED, WINDOW_MS, type Event, type WindowCount } from './pipeline.ts';

const count: AggregateFunction<Event, number, number> = {
  createAccumulator: () => 0,
  add: (_e, n) => n + 1,
  getResult: (n) => n,
  merge: (a, b) => a + b,
};

const withWindow: ProcessWindowFunction<number, WindowCount, number, TimeWindow> = {
  process(key, ctx, counts, out) {
    out.collect({ key, start: ctx.window.start, count: counts[0] ?? 0 });
  },
};

export default defineJob({
  name: 'bench-window-count',
  build(env, args) {
    if (args.has('localAggregation') && args.get('localAggregation') === 'false') env.setLocalWindowAggregation({ enabled: false });
    const source = new DataGenSource({ count: Number(args.get('count')), seed: SEED, generator: generateEvent });
    env
      .fromSource(source, WatermarkStrategy.forMonotonousTimestamps<Event>().withTimestampAssigner((e) => e.ts), 'datagen')
      .keyBy((e) => e.key)
      .window(TumblingEventTimeWindows.of(WINDOW_MS))
      .aggregate(count, withWindow)
      .name('window-count')
      .sinkTo(new CountingSink<WindowCount>(args.get('result'), (w) => w.count))
      .name('sink');
  },
});
