/**
 * Writes the inputs of inventory-alert into DIR, deterministically from the seed:
 * `node bin/run-ts.js jobs/inventory-alert/generate.ts --seed S --records N DIR` writes
 * `stock.jsonl` (N records), `pv.jsonl` (about N), the tables `sku_dim.csv`, `whitelist.csv`,
 * `sku_rules.csv`, `cate_brand_rules.csv`, the change streams `sku_rule_changes.jsonl` and
 * `cate_brand_rule_changes.jsonl`, and the network stock table `network.jsonl`. Edge cases:
 * disorder within the 5 s bound and late records beyond it, equal `ts` for one SKU (ties in input
 * order), quantities exactly at the threshold and at 0, network stock equal to and above the
 * threshold, page views exactly 5 minutes before a stock record (excluded) and at its `ts`
 * (included), exactly 100 page views, inactive and duplicated rules, rule inserts, updates and
 * deletes, SKUs without `sku_dim` or outside the whitelist, `5.0` and `1e3` integers, Unicode in
 * extra fields, and malformed lines and rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SplitMixRandom } from 'sluice';

const START = 1_700_000_000_000;

const { values, positionals } = parseArgs({ options: { seed: { type: 'string', default: '1' }, records: { type: 'string', default: '400' } }, allowPositionals: true });
const dir = positionals[0];
const seed = Number(values.seed);
const records = Number(values.records);
if (dir === undefined || !Number.isSafeInteger(seed) || !Number.isSafeInteger(records) || records < 0) {
  process.stderr.write('usage: generate.ts --seed S --records N DIR\n');
  process.exit(2);
}
const random = new SplitMixRandom(seed);
const skuCount = Math.max(8, Math.ceil(records / 25));
const skus = Array.from({ length: skuCount }, (_, i) => 10_000 + i * 7);
const venders = [501, 502, 503];
const categories = [11, 12];
const brands = [71, 72, 73];
const warehouses = [1, 2, 3];
const venderOf = new Map(skus.map((sku) => [sku, random.pick(venders)]));

const dimRows = ['sku_id,vender_id,category_id,brand_id'];
const whiteRows = ['sku_id'];
const networkLines: string[] = [];
for (const [i, sku] of skus.entries()) {
  if (i % 9 !== 4) dimRows.push(`${sku},${venderOf.get(sku)},${random.pick(categories)},${random.pick(brands)}`);
  if (i % 11 !== 6) whiteRows.push(i % 13 === 2 ? `${sku}.0` : String(sku));
  if (random.nextBoolean(0.4)) networkLines.push(JSON.stringify({ sku_id: sku, network_qty: random.pick([0, 3, 5, 10, 50]), 仓: '华北' }));
}
dimRows.push('abc,1,2,3', `${skus[0]! + 1},1.5,2,3`);
whiteRows.push('not-a-sku', '');

const skuRuleRows = ['sku_id,vender_id,threshold,status'];
const cateRuleRows = ['vender_id,category_id,brand_id,threshold,status'];
for (const [i, sku] of skus.entries()) {
  if (i % 3 === 0) skuRuleRows.push(`${sku},${venderOf.get(sku)},${random.pick([0, 3, 5, 10])},${i % 12 === 9 ? 0 : 1}`);
  if (i % 17 === 5) skuRuleRows.push(`${sku},${venderOf.get(sku)},7,1`);
}
skuRuleRows.push('x,1,1,1', `${skus[1]},1,two,1`);
for (const v of venders) {
  for (const c of categories) {
    for (const b of brands) {
      if (random.nextBoolean(0.75)) cateRuleRows.push(`${v},${c},${b},${random.pick([2, 5, 8])},${random.pick([1, 1, 1, 2, 0])}`);
    }
  }
}
cateRuleRows.push(`${venders[0]},${categories[0]},${brands[0]},4,1`, '1,2,3');

const skuChanges: string[] = [];
const cateChanges: string[] = [];
for (let i = 0; i < Math.max(4, Math.ceil(records / 60)); i++) {
  const sku = random.pick(skus);
  const op = random.pick(['insert', 'update', 'update', 'delete'] as const);
  const row = op === 'delete' ? { sku_id: sku } : { sku_id: sku, vender_id: venderOf.get(sku), threshold: random.pick([1, 4, 6]), status: random.pick([1, 1, 0]) };
  skuChanges.push(JSON.stringify({ op, row, by: 'José 运营' }));
  const cate = { vender_id: random.pick(venders), category_id: random.pick(categories), brand_id: random.pick(brands) };
  const cop = random.pick(['insert', 'update', 'delete'] as const);
  cateChanges.push(JSON.stringify({ op: cop, row: cop === 'delete' ? cate : { ...cate, threshold: random.pick([3, 6]), status: 1 } }));
}
skuChanges.push('{"op":"upsert","row":{"sku_id":1}}', '{"op":"update","row":{"sku_id":1,"vender_id":1,"threshold":"5","status":1}}', 'not json');
cateChanges.push('{"op":"delete","row":{"vender_id":1}}');

const stockLines: string[] = [];
const pvLines: string[] = [];
let clock = START;
let maxTs = START;
for (let i = 0; i < records; i++) {
  clock += random.nextIntBetween(0, 4_000);
  const sku = random.pick(skus);
  const roll = random.nextFloat();
  if (roll < 0.02) {
    stockLines.push(random.pick(['{"ts": 1, "sku_id": "7"}', '{bad json', `{"ts": ${clock}, "sku_id": ${sku}, "warehouse_id": 1, "vender_id": 501, "qty": 2.5}`, `{"ts": ${clock}, "sku_id": ${sku}, "warehouse_id": 1, "vender_id": 501, "qty": null}`]));
    continue;
  }
  let ts = clock - random.nextIntBetween(0, 4_900);
  if (roll < 0.05) ts = maxTs - random.nextIntBetween(5_001, 20_000);
  maxTs = Math.max(maxTs, ts);
  const qty = random.pick([0, 0, 1, 2, 3, 4, 5, 6, 8, 10, 20, 100]);
  const record: Record<string, unknown> = { ts, sku_id: sku, warehouse_id: random.pick(warehouses), vender_id: venderOf.get(sku), qty };
  if (random.nextBoolean(0.1)) record.note = '补货中 📦';
  let line = JSON.stringify(record);
  if (random.nextBoolean(0.03)) line = line.replace(`"qty":${qty}`, `"qty":${qty}.0`);
  if (qty === 0 && random.nextBoolean(0.2)) line = line.replace(`"qty":0`, '"qty":0e3');
  stockLines.push(random.nextBoolean(0.02) ? `  ${line}  ` : line);
  if (random.nextBoolean(0.08)) stockLines.push(JSON.stringify({ ...record, warehouse_id: random.pick(warehouses), qty: random.pick([0, 1, 9]) }));
  if (random.nextBoolean(0.02)) stockLines.push('   ');
  // Page views around this stock record: in the window, at its edges, and enough for P1 at times.
  const views = random.nextIntBetween(0, 2);
  for (let v = 0; v < views; v++) {
    const edge = random.nextFloat();
    const pvTs = edge < 0.1 ? ts - 300_000 : edge < 0.2 ? ts : ts - random.nextIntBetween(0, 290_000);
    pvLines.push(JSON.stringify({ ts: Math.max(START, pvTs), sku_id: sku, region_id: random.pick([1, 2, 3]), pv: random.pick([1, 2, 5, 10, 30, 100]) }));
  }
}
pvLines.sort((a, b) => (JSON.parse(a) as { ts: number }).ts - (JSON.parse(b) as { ts: number }).ts);
// Disorder within the bound, some late page views, and malformed ones.
for (let i = 1; i < pvLines.length; i += 5) [pvLines[i - 1], pvLines[i]] = [pvLines[i]!, pvLines[i - 1]!];
if (pvLines.length > 20) pvLines.splice(pvLines.length - 3, 0, JSON.stringify({ ts: START, sku_id: skus[0], region_id: 1, pv: 100 }));
pvLines.push('{"ts": 5, "sku_id": 1, "region_id": 1}', `{"ts": ${START}, "sku_id": 1.5, "region_id": 1, "pv": 1}`, 'nope');

mkdirSync(dir, { recursive: true });
const write = (name: string, lines: string[]): void => writeFileSync(join(dir, name), lines.length === 0 ? '' : `${lines.join('\n')}\n`);
write('stock.jsonl', stockLines);
write('pv.jsonl', pvLines);
write('sku_dim.csv', dimRows);
write('whitelist.csv', whiteRows);
write('sku_rules.csv', skuRuleRows);
write('cate_brand_rules.csv', cateRuleRows);
write('sku_rule_changes.jsonl', skuChanges);
write('cate_brand_rule_changes.jsonl', cateChanges);
write('network.jsonl', networkLines);
