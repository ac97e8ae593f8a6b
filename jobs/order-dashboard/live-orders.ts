/**
 * A live source of orders for the README's main job: `orders=datagen:?rate=N&count=N&start=MS&step=MS`
 * generates orders at `rate` per second (default 200), `count` of them then end of input (default
 * unbounded), with event time `start + index * step` (`step` in ms, default `1000 / rate`, so that
 * windows close at the pace of the wall clock). Each order is a pure function of its index, so restarts replay the same orders.
 */
import { DataGenSource, type Source, type SplitMixRandom } from 'sluice';
import type { Order } from './order.ts';

const CATEGORIES = ['美妆', '服饰', '数码', 'Home', '食品'];
const BRANDS = ['华为', 'Apple', '小米', 'Zeiß', '李宁', 'Nike', '安踏'];
const PRODUCTS = ['口红', 'T-shirt', '手机', 'Lamp', '咖啡机', '饼干', 'Sneaker'];
/** The event time of the first order when the URI names none: 2026-01-01T00:00:00Z. */
const DEFAULT_START = 1_767_225_600_000;

/** Picks an index with probability falling off like 1/(i+1). */
function skewed(random: SplitMixRandom, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(random.nextFloat() * Math.log(n + 1))) - 1);
}

/** Reads one positive integer parameter of the URI, naming it when it is not one. */
function parameter(params: URLSearchParams, name: string, fallback: number | undefined): number | undefined {
  const text = params.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) throw new Error(`orders=datagen: ${name} must be a positive integer, got "${text}"`);
  return value;
}

/** The generated source for a `datagen:` URI of `orders`, or undefined for any other URI. */
export function liveOrders(uri: string): Source<Order> | undefined {
  if (!uri.startsWith('datagen:')) return undefined;
  const query = uri.indexOf('?');
  const params = new URLSearchParams(query < 0 ? '' : uri.slice(query + 1));
  const rate = parameter(params, 'rate', 200)!;
  const start = parameter(params, 'start', DEFAULT_START)!;
  const step = parameter(params, 'step', undefined);
  return new DataGenSource<Order>({
    count: parameter(params, 'count', undefined),
    recordsPerSecond: rate,
    seed: 15,
    generator: (index, random) => {
      const user = skewed(random, 50);
      const product = skewed(random, PRODUCTS.length);
      return {
        order_id: `o-${index}`,
        ts: start + (step === undefined ? Math.floor((index * 1_000) / rate) : index * step),
        user_id: `u${String(user).padStart(3, '0')}`,
        user_name: user % 2 === 0 ? `User ${user}` : `顾客·${user}`,
        gender: user % 2 === 0 ? 'M' : 'F',
        product_id: 1_000 + product,
        product_name: PRODUCTS[product]!,
        category: CATEGORIES[skewed(random, CATEGORIES.length)]!,
        brand: BRANDS[skewed(random, BRANDS.length)]!,
        price_cents: 100 * (1 + random.nextInt(500)),
        quantity: 1 + skewed(random, 5),
      };
    },
  });
}
