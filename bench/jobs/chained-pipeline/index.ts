/**
 * Benchmark job: datagen → map → filter → counting sink, all chained in one task at p=1.
 * Arguments: `count` (records) and `result` (directory for the sink's result file).
 */
import { DataGenSource, defineJob } from 'sluice';
import { CountingSink } from '../support/counting-sink.ts';
import { generatePurchase, keepPurchase, purchaseChecksum, SEED, toCents } from './pipeline.ts';

export default defineJob({
  name: 'bench-chained-pipeline',
  build(env, args) {
    const source = new DataGenSource({ count: Number(args.get('count')), seed: SEED, generator: generatePurchase });
    env
      .fromSource(source, 'datagen')
      .map(toCents)
      .name('to-cents')
      .filter(keepPurchase)
      .name('keep')
      .sinkTo(new CountingSink(args.get('result'), purchaseChecksum))
      .name('count');
  },
});
