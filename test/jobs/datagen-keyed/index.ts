/**
 * Test job: an unbounded (or bounded, with `count=N`) datagen source, keyed by `k`, into a sink
 * chosen by `out` (any sink URI) or a slow sink when `slow_ms` is given.
 */
import { DataGenSource, defineJob, SlowSink } from 'sluice';

export default defineJob({
  name: 'datagen-keyed',
  build(env, args) {
    const count = args.has('count') ? Number(args.get('count')) : undefined;
    const rate = args.has('rate') ? Number(args.get('rate')) : undefined;
    const source = new DataGenSource({
      count,
      recordsPerSecond: rate,
      seed: 7,
      generator: (i, random) => ({ id: i, k: `k${random.nextInt(1000)}`, payload: 'x'.repeat(64) }),
    });
    const keyed = env
      .fromSource(source, 'datagen')
      .keyBy((r) => r.k)
      .map((r) => ({ id: r.id, k: r.k, payload: r.payload }))
      .name('pass');
    if (args.has('slow_ms')) keyed.sinkTo(new SlowSink({ delayMs: Number(args.get('slow_ms')), recordsPerFlush: 100 })).name('slow');
    else keyed.sinkTo(args.sink('out')).name('out');
  },
});
