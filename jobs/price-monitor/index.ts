/**
 * price-monitor: flags distributor listings (`listings`, JSONL) whose effective price, normalized
 * to the reference size, undercuts the flagship price of the matched product (`reference`, CSV).
 * Emits `alerts` (violation / recovered), `unmatched` and `malformed`. See README.md.
 */
import { defineJob, MALFORMED, WatermarkStrategy } from 'sluice';
import { invalidListing, listingKey, type Listing } from './listing.ts';
import { PriceWatch, REFERENCE, UNMATCHED } from './monitor.ts';
import { invalidReference, toReference } from './reference.ts';

export default defineJob({
  name: 'price-monitor',
  build(env, args) {
    // Listings carry event time only so that the watch sees when the reference input ended.
    const watermarks = WatermarkStrategy.forMonotonousTimestamps<Listing>().withTimestampAssigner((l) => l.ts);
    const listings = env.fromSource(args.source<Listing>('listings', { format: 'jsonl', validate: invalidListing }), watermarks, 'listings');
    const rows = env.fromSource(args.source('reference', { format: 'csv', validate: invalidReference }), 'reference');
    const malformed = args.optionalSink('malformed');
    if (malformed) {
      listings.getSideOutput(MALFORMED).union(rows.getSideOutput(MALFORMED)).sinkTo(malformed).name('malformed');
    }
    const products = rows.map(toReference).name('reference-product').broadcast(REFERENCE);
    const alerts = listings.keyBy(listingKey).connect(products).process(new PriceWatch()).name('price-watch');
    alerts.sinkTo(args.sink('alerts')).name('alerts');
    alerts.getSideOutput(UNMATCHED).sinkTo(args.sink('unmatched')).name('unmatched');
  },
});
