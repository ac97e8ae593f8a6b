/**
 * Test job: 1000 numbers from a collection, then `mode` = rebalance or broadcast into a map that
 * tags each record with the receiving subtask, then a `collect:` or file sink named `out`.
 */
import { defineJob, fromCollection } from 'sluice';

export default defineJob({
  name: 'partitioning',
  build(env, args) {
    const numbers = env.fromSource(fromCollection(Array.from({ length: 1000 }, (_, i) => i)), 'numbers').setParallelism(1);
    const spread = args.get('mode') === 'broadcast' ? numbers.broadcast() : numbers.rebalance();
    spread
      .map((n, ctx) => ({ n, subtask: ctx.subtaskIndex }))
      .name('tag')
      .sinkTo(args.sink('out'));
  },
});
