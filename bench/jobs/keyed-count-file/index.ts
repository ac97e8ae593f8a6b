/**
 * Benchmark job for failure recovery: an unbounded, rate-limited datagen source (`rate` records/s
 * over the whole source) → keyBy over `keys` keys → a running count per key in ValueState, one
 * output record per input record → the sink `out` (a `file:` directory for the recovery
 * benchmarks: with checkpoints, its part files become visible when a checkpoint completes).
 * Arguments: `rate`, `keys`, `out`.
 */
import { DataGenSource, defineJob, ValueStateDescriptor, type Collector, type KeyedProcessContext, type KeyedProcessFunction, type RuntimeContext, type ValueState } from 'sluice';

/** An input record. */
interface Event {
  readonly index: number;
  readonly key: number;
}

/** An output record: the key's count so far, and the input that made it. */
interface KeyCount {
  readonly key: number;
  readonly count: number;
  readonly index: number;
}

/** Counts per key and emits every update. */
class RunningCount implements KeyedProcessFunction<number, Event, KeyCount> {
  private count!: ValueState<number>;

  open(ctx: RuntimeContext): void {
    this.count = ctx.getState(new ValueStateDescriptor<number>('count'));
  }

  processElement(event: Event, _ctx: KeyedProcessContext<number>, out: Collector<KeyCount>): void {
    const count = (this.count.value() ?? 0) + 1;
    this.count.update(count);
    out.collect({ key: event.key, count, index: event.index });
  }
}

export default defineJob({
  name: 'bench-keyed-count-file',
  build(env, args) {
    const keys = Number(args.get('keys'));
    const source = new DataGenSource<Event>({ recordsPerSecond: Number(args.get('rate')), seed: 5, generator: (index, random) => ({ index, key: random.nextInt(keys) }) });
    env
      .fromSource(source, 'datagen')
      .keyBy((e) => e.key)
      .process(new RunningCount())
      .name('count')
      .sinkTo(args.sink('out'))
      .name('out');
  },
});
