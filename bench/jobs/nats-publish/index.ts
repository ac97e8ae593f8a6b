/**
 * Benchmark job: `count` generated records `{i, t}` (t: the wall-clock time the record was made)
 * in one datagen split → the sink `out` (a `nats://` subject). Arguments: `count`, `out`.
 */
import { DataGenSource, defineJob } from 'sluice';

export default defineJob({
  name: 'bench-nats-publish',
  build(env, args) {
    const source = new DataGenSource({ count: Number(args.get('count')), numSplits: 1, generator: (i) => ({ i, t: Date.now() }) });
    env.fromSource(source, 'datagen').sinkTo(args.sink('out')).name('out');
  },
});
