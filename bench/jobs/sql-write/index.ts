/**
 * Benchmark job: datagen of `count` records `{i, key, value}` → the output `out` (a `postgres://`
 * or `mysql://` table, exactly once with checkpoints). Arguments: `count`, `out`.
 */
import { DataGenSource, defineJob } from 'sluice';

export default defineJob({
  name: 'bench-sql-write',
  build(env, args) {
    const source = new DataGenSource({ count: Number(args.get('count')), seed: 3, generator: (i) => ({ i, key: `k${i % 100}`, value: i * 0.5 }) });
    env.fromSource(source, 'datagen').sinkTo(args.sink('out')).name('out');
  },
});
