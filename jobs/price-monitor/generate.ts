/**
 * Writes deterministic inputs for price-monitor into DIR:
 * `node bin/run-ts.js jobs/price-monitor/generate.ts --seed S --records N DIR` writes
 * `reference.csv` and `listings/part-0.jsonl`, `listings/part-1.jsonl` (a shop's listings all in
 * one file, so that each listing's crawls keep their order). Crawls repeat per listing with prices
 * drifting around the flagship price, so listings enter, stay in, change within and leave
 * violation. Edge cases: names tied in length (the smaller sku wins), aliases, a duplicated sku (the
 * last row wins), empty aliases, decimal capacities, units (ml, ML, 毫升, l, 升), multipliers
 * (x2, ×3, *2, 0) and pack counts (瓶, 支), titles without capacity or with 0 ml, Unicode
 * whitespace, coupons of every kind with ties, leading zeros and unparsable items, a normalized
 * price equal to the flagship, an exact .5 at the third decimal of `gap_pct`, unmatched titles
 * and malformed lines and rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Reads `--seed S --records N DIR`. */
function parseArgs(argv: readonly string[]): { seed: number; records: number; dir: string } {
  let seed = 1;
  let records = 1_000;
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--seed') seed = Number(argv[++i]);
    else if (arg === '--records') records = Number(argv[++i]);
    else dir = arg;
  }
  if (dir === undefined || !Number.isSafeInteger(seed) || !Number.isSafeInteger(records) || records < 0) {
    throw new Error('usage: generate.ts --seed S --records N DIR');
  }
  return { seed, records, dir };
}

/** A reference product as the generator knows it. */
interface Product {
  sku: string;
  name: string;
  aliases: string[];
  capacity: string;
  flagship: number;
}

const PRODUCTS: Product[] = [
  { sku: 'A100', name: '小棕瓶精华', aliases: ['Advanced Night Repair', 'ANR'], capacity: '50', flagship: 99_000 },
  { sku: 'A090', name: '小棕瓶眼霜', aliases: ['ANR Eye'], capacity: '15', flagship: 52_000 },
  { sku: 'B300', name: 'Double Wear 粉底液', aliases: ['DW粉底', ''], capacity: '30', flagship: 41_000 },
  { sku: 'C400', name: '红石榴水', aliases: [], capacity: '200.5', flagship: 33_000 },
  { sku: 'C399', name: '红石榴乳', aliases: ['石榴水乳'], capacity: '100', flagship: 36_000 },
  { sku: 'D10', name: '白金面霜', aliases: ['Re-Nutriv'], capacity: '50', flagship: 280_000 },
  { sku: 'D9', name: '白金乳霜', aliases: [], capacity: '50', flagship: 280_000 },
  { sku: 'E1', name: 'Ünïque Öl', aliases: ['独特精油'], capacity: '7.5', flagship: 80_000 },
];

const CAPACITY_FORMS = ['{c}ml', '{c} ML', '{c}毫升', '{l}L', '{l}升', '{c}ml x2', '{c}ml×3', '{c}ml * 2', '{c}ml x0', '{c}ml 2瓶装', '3支 {c}ml', '', '0ml', '{c}mlb'];
const COUPONS = ['', '满100减10', '满0100减020', '9折', '8.5折', '满300减30;满200减30', '8折; 8折', '满99999减1', '10折;0.5折', '神秘券', ' ; 满50减5 ;', '满1000减100；9折', '7.5折;满100减10'];
const SPACES = [' ', '\u3000', '\t', '', '  '];

/** A title for a product, with a capacity form and noise. */
function title(next: () => number, product: Product): string {
  const keys = [product.name, ...product.aliases.filter((a) => a !== '')];
  const key = keys[Math.floor(next() * keys.length)]!;
  const shown = next() < 0.3 ? key.toUpperCase() : key;
  const spaced = next() < 0.3 ? [...shown].join(SPACES[Math.floor(next() * SPACES.length)]!) : shown;
  const capacity = Number(product.capacity);
  const form = CAPACITY_FORMS[Math.floor(next() * CAPACITY_FORMS.length)]!
    .replace('{c}', String(capacity))
    .replace('{l}', String(capacity / 1000));
  return `雅诗兰黛${SPACES[Math.floor(next() * SPACES.length)]}${spaced} ${form}`.trim();
}

/** The reference CSV: products, a malformed row, and a duplicated sku whose last row wins. */
function referenceCsv(): string {
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const row = (p: Product, flagship = p.flagship) => [p.sku, p.name, '雅诗兰黛', p.capacity, String(flagship), p.aliases.join('|')].map(quote).join(',');
  const first = PRODUCTS[0]!;
  return [
    'sku,name,brand,capacity_ml,flagship_price_cents,aliases',
    row(first, 120_000),
    ...PRODUCTS.map((p) => row(p)),
    'Z1,坏行,雅诗兰黛,-5,100,',
    'Z2,坏价,雅诗兰黛,50,12.5,',
    'Z3,"未闭合,雅诗兰黛,50,100,',
    '',
  ].join('\n');
}

/** The listings, split by shop into two files, and the malformed lines. */
function listings(seed: number, records: number): [string[], string[]] {
  const next = random(seed);
  const t0 = 1_767_225_600_000;
  const files: [string[], string[]] = [[], []];
  const pages = Array.from({ length: Math.max(1, Math.ceil(records / 8)) }, (_, i) => {
    const product = PRODUCTS[Math.floor(next() * PRODUCTS.length)]!;
    const shop = i % 5 === 0 ? `店-${i % 23}` : i % 23;
    return { shop, product, url: `https://shop.example/${i % 23}/item/${i}`, title: title(next, product), factor: 0.6 + next() * 0.8 };
  });
  for (let i = 0; i < records; i++) {
    const page = pages[Math.floor(next() * pages.length)]!;
    const drift = next() < 0.4 ? 1 : 0.85 + next() * 0.3;
    page.factor *= drift;
    const price = Math.max(0, Math.round(page.product.flagship * page.factor));
    const record = {
      ts: t0 + i * 1_000 + Math.floor(next() * 3_000),
      shop_id: page.shop,
      shop_name: typeof page.shop === 'string' ? `旗舰折扣${page.shop}` : `Shop №${page.shop}`,
      title: next() < 0.05 ? `无关商品 ${i}` : page.title,
      page_price_cents: price,
      coupons: COUPONS[Math.floor(next() * COUPONS.length)]!,
      url: page.url,
      ...(i % 11 === 0 ? { crawler: 'v2' } : {}),
    };
    files[typeof page.shop === 'string' ? 0 : page.shop % 2]!.push(JSON.stringify(record));
  }
  const edge = (shop: number, url: string, t: string, price: number, coupons = '') =>
    JSON.stringify({ ts: t0 + records * 1_000 + 10_000, shop_id: shop, shop_name: 'Edge', title: t, page_price_cents: price, coupons, url });
  files[0].push(
    // Normalized equal to the flagship: no violation.
    edge(100, 'https://edge/eq', '白金面霜 50ml', 280_000),
    // gap_pct = 0.005 exactly: rounds to 0.01.
    edge(102, 'https://edge/half', '独特精油 7.5ml', 79_996),
    edge(102, 'https://edge/half', '独特精油 7.5ml', 79_996, '满1减0'),
    edge(102, 'https://edge/half', '独特精油 7.5ml', 90_000),
    '{"ts": 1, "shop_id": 1}',
    '{"ts": 1.5, "shop_id": 1, "shop_name": "x", "title": "红石榴水", "page_price_cents": 1, "coupons": "", "url": "u"}',
    JSON.stringify({ ts: t0, shop_id: 2.5, shop_name: 'x', title: '红石榴水', page_price_cents: 1, coupons: '', url: 'u' }),
    JSON.stringify({ ts: t0, shop_id: 2, shop_name: 'x', title: '红石榴水', page_price_cents: 1, coupons: null, url: 'u' }),
    '[1, 2]',
    '\t ',
  );
  return files;
}

const { seed, records, dir } = parseArgs(process.argv.slice(2));
mkdirSync(join(dir, 'listings'), { recursive: true });
writeFileSync(join(dir, 'reference.csv'), referenceCsv());
listings(seed, records).forEach((lines, i) => writeFileSync(join(dir, 'listings', `part-${i}.jsonl`), `${lines.join('\n')}\n`));
