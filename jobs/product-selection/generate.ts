/**
 * Writes the inputs of product-selection into DIR, deterministically from the seed:
 * `node bin/run-ts.js jobs/product-selection/generate.ts --seed S --records N DIR` writes
 * `catalog.jsonl` (the SPU catalog the search service answers from) and `selections.jsonl`
 * (N selection lines). Edge cases: pools of several pages, prices and sales exactly on the
 * bounds, numeric and string ids ("L10" < "L9", integers before strings), a `null` brand,
 * upserts that change nothing, deletes of unknown pools, Unicode names, and malformed lines.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SplitMixRandom } from 'sluice';

const CATEGORIES = ['美妆', 'skincare', 'Skincare', '零食', 'toys', 'électronique'];
const BRANDS = ['兰蔻', 'Lancôme', 'Estée', 'Nivea', '良品铺子', 'LEGO', 'Sony', 'Ünïcode'];
const WORDS = ['精华', '面霜', 'serum', 'cream', '薯片', 'brick set', 'casque', '礼盒 🎁'];

function price(random: SplitMixRandom): number {
  return 100 * random.nextIntBetween(5, 900) + (random.nextBoolean(0.3) ? random.nextInt(100) : 0);
}

function catalogLines(random: SplitMixRandom, size: number): { lines: string[]; items: { category: string; brand: string; price_cents: number; sales: number }[] } {
  const lines: string[] = [];
  const items: { category: string; brand: string; price_cents: number; sales: number }[] = [];
  for (let i = 0; i < size; i++) {
    const spu_id = i % 7 === 3 ? `L${i}` : i % 11 === 5 ? `spu-${String(i).padStart(5, '0')}` : 100_000 + i;
    // The first category holds about half of the catalog, so its pools run over several pages.
    const category = random.nextBoolean(0.5) ? CATEGORIES[0]! : random.pick(CATEGORIES);
    const brand = random.pick(BRANDS);
    const item = { spu_id, title: `${brand} ${random.pick(WORDS)} ${i}`, category, brand, price_cents: price(random), sales: Math.floor(10_000 * random.nextFloat() ** 3) };
    items.push(item);
    lines.push(JSON.stringify(item));
  }
  lines.push('{"spu_id": "broken", "title": "no price", "category": "toys", "brand": "LEGO"}');
  return { lines, items };
}

function selectionLines(random: SplitMixRandom, records: number, items: readonly { category: string; brand: string; price_cents: number; sales: number }[]): string[] {
  const pools = Math.max(3, Math.ceil(records / 6));
  const poolId = (k: number): string | number => (k % 3 === 0 ? `pool-${k}` : k % 3 === 1 ? k : `L${k}`);
  const lines: string[] = [];
  let ts = 1_700_000_000_000;
  let previous = '';
  for (let i = 0; i < records; i++) {
    ts += random.nextIntBetween(0, 20_000);
    const pool_id = poolId(random.nextInt(pools));
    const roll = random.nextFloat();
    if (roll < 0.03) {
      lines.push(random.pick(['{"ts": 1, "pool_id": "x", "op": "merge"}', 'not json', `{"ts": ${ts}, "pool_id": 1.5, "op": "delete"}`, `{"ts": ${ts}, "pool_id": "p", "op": "upsert", "features": {"category": "toys", "price_min_cents": "0", "price_max_cents": 10, "min_sales": 0}}`, `{"ts": ${ts}, "pool_id": "p", "op": "upsert"}`]));
      continue;
    }
    if (roll < 0.05 && previous !== '') {
      lines.push(previous);
      continue;
    }
    if (roll < 0.15) {
      lines.push(JSON.stringify({ ts, pool_id: random.nextBoolean(0.3) ? `unknown-${i}` : pool_id, op: 'delete', note: '下架' }));
      continue;
    }
    const anchor = random.pick(items);
    const wide = random.nextBoolean(0.3);
    const features: Record<string, unknown> = {
      category: random.nextBoolean(0.9) ? anchor.category : 'nothing-here',
      price_min_cents: wide ? 0 : anchor.price_cents - random.nextInt(20_000),
      price_max_cents: wide ? 10_000_000 : anchor.price_cents + random.nextInt(20_000),
      min_sales: random.nextBoolean(0.2) ? anchor.sales : random.nextInt(200),
    };
    if (!wide && random.nextBoolean(0.4)) features.brand = anchor.brand;
    else if (random.nextBoolean(0.2)) features.brand = null;
    const line = JSON.stringify({ ts, pool_id, op: 'upsert', features, operator: random.pick(['小王', 'ops', 'Zoë']) });
    previous = line;
    lines.push(random.nextBoolean(0.02) ? `  ${line}\n   ` : line);
  }
  return lines;
}

const { values, positionals } = parseArgs({ options: { seed: { type: 'string', default: '1' }, records: { type: 'string', default: '200' } }, allowPositionals: true });
const dir = positionals[0];
const seed = Number(values.seed);
const records = Number(values.records);
if (dir === undefined || !Number.isSafeInteger(seed) || !Number.isSafeInteger(records) || records < 0) {
  process.stderr.write('usage: generate.ts --seed S --records N DIR\n');
  process.exit(2);
}
const random = new SplitMixRandom(seed);
const catalog = catalogLines(random, Math.max(400, records * 3));
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'catalog.jsonl'), `${catalog.lines.join('\n')}\n`);
writeFileSync(join(dir, 'selections.jsonl'), `${selectionLines(random, records, catalog.items).join('\n')}\n`);
