/**
 * Benchmark job: the source `in` (a bounded `nats://` stream) → counting sink, chained in one
 * task. Arguments: `in` and `result` (directory for the sink's result file).
 */
import { defineJob } from 'sluice';
import { CountingSink } from '../support/counting-sink.ts';

export default defineJob({
  name: 'bench-nats-count',
  build(env, args) {
    env
      .fromSource(args.source('in'), 'in')
      .sinkTo(new CountingSink<Record<string, unknown>>(args.get('result'), (r) => (r.i as number) ?? 0))
      .name('count');
  },
});
