/**
 * Benchmark job: the input `in` (a `kafka://` topic, bounded) → counting sink, summing the field
 * `i` of each record. Arguments: `in`, `result`.
 */
import { defineJob } from 'sluice';
import { CountingSink } from '../support/counting-sink.ts';

/** A record of the benchmark topic. */
interface Message {
  readonly i: number;
}

export default defineJob({
  name: 'bench-kafka-count',
  build(env, args) {
    env
      .fromSource(args.source<Message>('in'), 'in')
      .sinkTo(new CountingSink<Message>(args.get('result'), (m) => m.i))
      .name('count');
  },
});
