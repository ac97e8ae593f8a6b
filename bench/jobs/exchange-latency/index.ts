/**
 * Benchmark job: rate-limited datagen → keyBy → latency sink, at the parallelism of the submission.
 * Arguments: `count`, `rate` (records per second over all subtasks), `warmup_ms` (records created
 * this long after a sink's first record are left out of its histogram) and `result` (directory
 * for the sinks' result files).
 */
import { DataGenSource, defineJob } from 'sluice';
import { LatencySink } from '../support/latency-sink.ts';
import { generateTimedEvent, keyOf, SEED } from './pipeline.ts';

export default defineJob({
  name: 'bench-exchange-latency',
  build(env, args) {
    const source = new DataGenSource({
      count: Number(args.get('count')),
      recordsPerSecond: Number(args.get('rate')),
      seed: SEED,
      generator: generateTimedEvent,
    });
    env
      .fromSource(source, 'datagen')
      .keyBy(keyOf)
      .sinkTo(new LatencySink(args.get('result'), Number(args.get('warmup_ms'))))
      .name('latency');
  },
});
