/**
 * Benchmark job: datagen → keyBy(sensor) → counting sink, at the parallelism of the submission.
 * Arguments: `count` (records) and `result` (directory for the sinks' result files).
 */
import { DataGenSource, defineJob } from 'sluice';
import { CountingSink } from '../support/counting-sink.ts';
import { generateReading, readingChecksum, SEED, sensorOf } from './pipeline.ts';

export default defineJob({
  name: 'bench-keyed-exchange',
  build(env, args) {
    const source = new DataGenSource({ count: Number(args.get('count')), seed: SEED, generator: generateReading });
    env
      .fromSource(source, 'datagen')
      .keyBy(sensorOf)
      .sinkTo(new CountingSink(args.get('result'), readingChecksum))
      .name('count');
  },
});
