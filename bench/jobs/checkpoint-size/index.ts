/**
 * Benchmark job for checkpoint sizes: keyed ValueState over `keys` distinct keys, then slow
 * updates of a small share of them. Two datagen sources are unioned and keyed by `key`:
 *
 * - `load` (bounded, unthrottled): one record per key `0 … keys-1`, which fills the state;
 * - `updates` (unbounded, `rate` records/s over the whole source): record `i` updates key
 *   `i % keys`, so every second touches `rate` distinct keys.
 *
 * The keyed function keeps `{ n, last }` per key (times seen, index of the last record) and emits
 * nothing; the job never ends by itself (cancel it). Arguments: `keys`, `rate`.
 */
import {
  DataGenSource,
  defineJob,
  ValueStateDescriptor,
  type Collector,
  type KeyedProcessContext,
  type KeyedProcessFunction,
  type RuntimeContext,
  type Sink,
  type SinkWriter,
  type ValueState,
} from 'sluice';
import { LOAD_SEED, LOAD_SOURCE, UPDATE_SEED, UPDATE_SOURCE, type KeyedUpdate } from './pipeline.ts';

/** What the state holds per key. */
interface Entry {
  readonly n: number;
  readonly last: number;
}

/** Writes each record into the key's ValueState. */
class Remember implements KeyedProcessFunction<number, KeyedUpdate, never> {
  private entry!: ValueState<Entry>;

  open(ctx: RuntimeContext): void {
    this.entry = ctx.getState(new ValueStateDescriptor<Entry>('entry'));
  }

  processElement(update: KeyedUpdate, _ctx: KeyedProcessContext<number>, _out: Collector<never>): void {
    this.entry.update({ n: (this.entry.value()?.n ?? 0) + 1, last: update.index });
  }
}

/** A sink that drops everything (the keyed function emits nothing anyway). */
class DiscardSink implements Sink<never> {
  readonly kind = 'discard';

  createWriter(): SinkWriter<never> {
    return { open: async () => {}, write: () => {}, flush: async () => {}, finish: async () => {}, close: async () => {} };
  }
}

export default defineJob({
  name: 'bench-checkpoint-size',
  build(env, args) {
    const keys = Number(args.get('keys'));
    const rate = Number(args.get('rate'));
    const load = new DataGenSource<KeyedUpdate>({ count: keys, seed: LOAD_SEED, generator: (index) => ({ key: index, index }) });
    const updates = new DataGenSource<KeyedUpdate>({ recordsPerSecond: rate, seed: UPDATE_SEED, generator: (index) => ({ key: index % keys, index }) });
    env
      .fromSource(load, LOAD_SOURCE)
      .union(env.fromSource(updates, UPDATE_SOURCE))
      .keyBy((u) => u.key)
      .process(new Remember())
      .name('remember')
      .sinkTo(new DiscardSink())
      .name('discard');
  },
});
