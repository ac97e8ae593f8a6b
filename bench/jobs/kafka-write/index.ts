/**
 * Benchmark job: datagen of `count` records `{i, key}` → the output `out` (a `kafka://` topic,
 * transactional with checkpoints). Arguments: `count`, `out`.
 */
import { DataGenSource, defineJob } from 'sluice';

export default defineJob({
  name: 'bench-kafka-write',
  build(env, args) {
    const source = new DataGenSource({ count: Number(args.get('count')), seed: 3, generator: (i) => ({ i, key: `k${i % 100}` }) });
    env.fromSource(source, 'datagen').sinkTo(args.sink('out')).name('out');
  },
});
