/**
 * order-dashboard: the eight metrics of a live order dashboard, in event time, from `orders`
 * (JSONL, watermark bound 5 s; or generated live with `orders=datagen:?rate=N`, see live-orders.ts). Per minute: `minute_sales` and `category_rank`; as of each minute's
 * end: `totals`, `brand_rank`, `top_users` and `gender_share`; per 10 minutes: `gender_10min`.
 * See README.md for the contract and the choices made where it is silent.
 */
import {
  defineJob,
  MALFORMED,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type Collector,
  type ProcessWindowContext,
  type ProcessWindowFunction,
  type TimeWindow,
} from 'sluice';
import { BRAND_RANK, CumulativeMetrics, GENDER_SHARE, TOP_USERS } from './cumulative.ts';
import { genderQuantities, summarizeMinute, type GenderQuantities, type MinuteSummary } from './minute-summary.ts';
import { liveOrders } from './live-orders.ts';
import { invalidOrder, type Order } from './order.ts';
import { categoryRank, minuteSales, type Gender10Min, type MinuteWindow } from './outputs.ts';

/** The watermark bound of `orders`. */
const OUT_OF_ORDERNESS_MS = 5_000;
/** A minute. */
const MINUTE_MS = 60_000;
/** Ten minutes. */
const TEN_MINUTES_MS = 600_000;
/** The one key of the shop-wide metrics. */
const SHOP = 'shop';

/** Adds the window bounds to a minute's summary. */
const withMinute: ProcessWindowFunction<MinuteSummary, MinuteWindow, string, TimeWindow> = {
  process(_key: string, ctx: ProcessWindowContext<TimeWindow>, summaries: MinuteSummary[], out: Collector<MinuteWindow>) {
    const summary = summaries[0];
    if (summary !== undefined) out.collect({ window_start: ctx.window.start, window_end: ctx.window.end, summary });
  },
};

/** Adds the window bounds to a 10-minute window's quantities. */
const withTenMinutes: ProcessWindowFunction<GenderQuantities, Gender10Min, string, TimeWindow> = {
  process(_key: string, ctx: ProcessWindowContext<TimeWindow>, quantities: GenderQuantities[], out: Collector<Gender10Min>) {
    const q = quantities[0];
    if (q !== undefined) out.collect({ window_start: ctx.window.start, window_end: ctx.window.end, M: q.M, F: q.F });
  },
};

export default defineJob({
  name: 'order-dashboard',
  build(env, args) {
    const watermarks = WatermarkStrategy.forBoundedOutOfOrderness<Order>(OUT_OF_ORDERNESS_MS).withTimestampAssigner((o) => o.ts);
    const orders = env.fromSource(liveOrders(args.get('orders')) ?? args.source<Order>('orders', { validate: invalidOrder }), watermarks, 'orders');
    const malformed = args.optionalSink('malformed');
    if (malformed) orders.getSideOutput(MALFORMED).sinkTo(malformed).name('malformed');

    const minutes = orders
      .keyBy(() => SHOP)
      .window(TumblingEventTimeWindows.of(MINUTE_MS))
      .aggregate(summarizeMinute, withMinute)
      .name('minute');
    minutes.map(minuteSales).name('minute-sales').sinkTo(args.sink('minute_sales')).name('minute_sales');
    minutes.map(categoryRank).name('category-rank').sinkTo(args.sink('category_rank')).name('category_rank');

    const cumulative = minutes.keyBy(() => SHOP).process(new CumulativeMetrics()).name('cumulative');
    cumulative.sinkTo(args.sink('totals')).name('totals');
    cumulative.getSideOutput(BRAND_RANK).sinkTo(args.sink('brand_rank')).name('brand_rank');
    cumulative.getSideOutput(TOP_USERS).sinkTo(args.sink('top_users')).name('top_users');
    cumulative.getSideOutput(GENDER_SHARE).sinkTo(args.sink('gender_share')).name('gender_share');

    orders
      .keyBy(() => SHOP)
      .window(TumblingEventTimeWindows.of(TEN_MINUTES_MS))
      .aggregate(genderQuantities, withTenMinutes)
      .name('gender-10min')
      .sinkTo(args.sink('gender_10min'))
      .name('gender_10min');
  },
});
