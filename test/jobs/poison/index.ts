/**
 * Test job: a bounded datagen source of `count` records (`rate` per second per subtask), keyed by
 * `k`, whose map throws on the record with id `poison` (when given), into the sink `out`.
 */
import { DataGenSource, defineJob } from 'sluice';

export default defineJob({
  name: 'poison',
  build(env, args) {
    const poison = args.has('poison') ? Number(args.get('poison')) : -1;
    const source = new DataGenSource({
      count: Number(args.get('count')),
      recordsPerSecond: args.has('rate') ? Number(args.get('rate')) : undefined,
      seed: 3,
      generator: (i, random) => ({ id: i, k: `k${random.nextInt(100)}` }),
    });
    env
      .fromSource(source, 'datagen')
      .keyBy((r) => r.k)
      .map((r) => {
        if (r.id === poison) throw new Error(`poison record ${r.id}`);
        return r;
      })
      .name('check')
      .sinkTo(args.sink('out'))
      .name('out');
  },
});
