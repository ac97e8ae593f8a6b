/**
 * The price watch, keyed by a listing's shop and url, with the reference table as broadcast state.
 * Listings wait in keyed state until the reference input has ended, which the operator sees as
 * its event time leaving its minimum: the reference source carries no watermarks, so the combined
 * watermark stays at its minimum until that input ends. Then each listing is matched and priced,
 * and the state per sku (the normalized price of a listing in violation) decides the alerts.
 */
import {
  ListStateDescriptor,
  MapStateDescriptor,
  MIN_WATERMARK,
  OutputTag,
  type BroadcastContext,
  type Collector,
  type KeyedBroadcastOnTimerContext,
  type KeyedBroadcastProcessFunction,
  type KeyedReadOnlyBroadcastContext,
  type ListState,
  type MapState,
  type ReadOnlyBroadcastState,
  type RuntimeContext,
} from 'sluice';
import { gapPct } from './exact.ts';
import { priceListing, type PricedListing } from './evaluate.ts';
import type { Listing } from './listing.ts';
import { matchTitle, type ReferenceProduct } from './reference.ts';

/** The reference table, by sku, in every subtask. */
export const REFERENCE = new MapStateDescriptor<string, ReferenceProduct>('reference');
/** Listings that match no reference product. */
export const UNMATCHED = new OutputTag<Listing>('unmatched');

/** An alert: the priced crawl that triggered it. */
export interface Alert extends PricedListing {
  gap_pct: number;
  status: 'violation' | 'recovered';
}

/** The timer that releases waiting listings: it fires with the first watermark after the reference ended. */
const RELEASE = Number.MIN_SAFE_INTEGER;

/** See the module comment. */
export class PriceWatch implements KeyedBroadcastProcessFunction<string, Listing, ReferenceProduct, Alert> {
  private waiting!: ListState<Listing>;
  /** The normalized price per sku of this key's listings that are in violation. */
  private violations!: MapState<string, number>;
  /** The products of the broadcast state, read once per change of it. */
  private products: ReferenceProduct[] | undefined;

  open(ctx: RuntimeContext): void {
    this.waiting = ctx.getListState(new ListStateDescriptor<Listing>('waiting'));
    this.violations = ctx.getMapState(new MapStateDescriptor<string, number>('violations'));
  }

  processBroadcastElement(product: ReferenceProduct, ctx: BroadcastContext): void {
    ctx.getBroadcastState(REFERENCE).put(product.sku, product);
    this.products = undefined;
  }

  processElement(listing: Listing, ctx: KeyedReadOnlyBroadcastContext<string>, out: Collector<Alert>): void {
    if (ctx.currentWatermark() === MIN_WATERMARK) {
      this.waiting.add(listing);
      ctx.timerService().registerEventTimeTimer(RELEASE);
      return;
    }
    this.evaluate(listing, ctx.getBroadcastState(REFERENCE), ctx, out);
  }

  onTimer(_timestamp: number, ctx: KeyedBroadcastOnTimerContext<string>, out: Collector<Alert>): void {
    const reference = ctx.getBroadcastState(REFERENCE);
    for (const listing of this.waiting.get()) this.evaluate(listing, reference, ctx, out);
    this.waiting.clear();
  }

  /** Matches, prices and compares one listing with its state. */
  private evaluate(listing: Listing, reference: ReadOnlyBroadcastState<string, ReferenceProduct>, ctx: KeyedReadOnlyBroadcastContext<string>, out: Collector<Alert>): void {
    this.products ??= reference.values();
    const product = matchTitle(listing.title, this.products);
    if (product === undefined) {
      ctx.output(UNMATCHED, listing);
      return;
    }
    const priced = priceListing(listing, product);
    const previous = this.violations.get(product.sku);
    const gap_pct = gapPct(priced.flagship_price_cents, priced.normalized_price_cents);
    if (priced.normalized_price_cents < priced.flagship_price_cents) {
      if (previous === priced.normalized_price_cents) return;
      this.violations.put(product.sku, priced.normalized_price_cents);
      out.collect({ ...priced, gap_pct, status: 'violation' });
    } else if (previous !== undefined) {
      this.violations.remove(product.sku);
      out.collect({ ...priced, gap_pct, status: 'recovered' });
    }
  }
}
