/**
 * Test job: a datagen source (bounded by `count`, at `rate` records per second per subtask when
 * given) written straight into the sink `out`, so that each subtask is one task: source and sink
 * chained.
 */
import { DataGenSource, defineJob } from 'sluice';

export default defineJob({
  name: 'forward-sink',
  build(env, args) {
    const source = new DataGenSource({
      count: args.has('count') ? Number(args.get('count')) : undefined,
      recordsPerSecond: args.has('rate') ? Number(args.get('rate')) : undefined,
      seed: 11,
      generator: (i) => ({ id: i }),
    });
    env.fromSource(source, 'datagen').sinkTo(args.sink('out')).name('out');
  },
});
