/**
 * order-dashboard's big screen in real Chromium: the real job runs on a small known input on real
 * processes, the screen server runs as its own process on port 0 over the job's committed files
 * (and over Redis when there is one), and the page must show the input's totals; a second run on
 * more orders commits new windows, and the open page must update to them without a reload.
 * Skips with a printed reason when Chromium is missing, except under SLUICE_REQUIRE_SERVICES=1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster } from '../support/mini-cluster.ts';
import { REDIS_ADDRESS, redisOrSkip } from '../support/redis-test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const CHROMIUM = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (process.env.SLUICE_REQUIRE_SERVICES === '1') throw new Error(`SLUICE_REQUIRE_SERVICES=1 but there is ${reason}`);
  console.log(`skipping the big-screen tests: ${reason}`);
}

const JOB = 'jobs/order-dashboard';
const OUTPUTS = ['minute_sales', 'category_rank', 'totals', 'brand_rank', 'top_users', 'gender_share', 'gender_10min'] as const;
const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

interface Order {
  order_id: number;
  ts: number;
  user_id: number;
  user_name: string;
  gender: 'M' | 'F';
  product_id: number;
  product_name: string;
  category: string;
  brand: string;
  price_cents: number;
  quantity: number;
}

/** `n` orders per minute for `minutes` minutes from `firstMinute`, in time order, with known amounts. */
function orders(firstMinute: number, minutes: number, n: number): Order[] {
  const out: Order[] = [];
  for (let m = firstMinute; m < firstMinute + minutes; m++) {
    for (let i = 0; i < n; i++) {
      const id = m * 100 + i;
      out.push({
        order_id: id,
        ts: T0 + m * 60_000 + i * 1000,
        user_id: i % 4,
        user_name: ['张伟', 'Alice', '王芳', 'Bob'][i % 4] as string,
        gender: i % 3 === 0 ? 'F' : 'M',
        product_id: 1000 + (i % 5),
        product_name: '商品',
        category: ['服饰', '数码', 'Home'][i % 3] as string,
        brand: ['华为', 'Apple', '小米', 'Nike'][(i + m) % 4] as string,
        price_cents: 1999 + 250 * i + 1000 * m,
        quantity: 1 + (i % 3),
      });
    }
  }
  return out;
}

/** The money text the page must show for integer cents, computed here on its own. */
function yuan(cents: number): string {
  const whole = Math.floor(cents / 100).toLocaleString('en-US');
  return `¥${whole}.${String(cents % 100).padStart(2, '0')}`;
}

function sums(list: Order[]): { amount: number; quantity: number } {
  return { amount: list.reduce((s, o) => s + o.price_cents * o.quantity, 0), quantity: list.reduce((s, o) => s + o.quantity, 0) };
}

/** A screen server process and the URL it printed. */
async function startScreen(sourceArgs: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'jobs/order-dashboard/screen/server.ts', ...sourceArgs, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`the screen server exited with ${child.exitCode}: ${stderr}`);
      return /^(http:\/\/\S+)\n/.exec(stdout)?.[1];
    },
    'the screen server to print its URL',
    120_000,
  );
  return { child, url };
}

async function stopScreen(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** What the page shows, read from its DOM (the charts are SVG, so their labels are text). */
async function shown(page: Page): Promise<{ amountCents: string; amountText: string; quantity: string; minutes: string; svgText: string; users: string[]; status: string }> {
  return page.evaluate(() => {
    const el = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;
    return {
      amountCents: el('total-amount').dataset.cents ?? '',
      amountText: el('total-amount').textContent ?? '',
      quantity: el('total-quantity').dataset.value ?? '',
      minutes: el('panel-minutes').dataset.minutes ?? '',
      svgText: [...document.querySelectorAll('svg text')].map((t) => t.textContent).join('|'),
      users: [...document.querySelectorAll('#top-users tbody tr')].map((r) => r.textContent ?? ''),
      status: el('status').textContent ?? '',
    };
  });
}

describe.skipIf(!HAVE_CHROMIUM)('the order-dashboard big screen in Chromium', () => {
  let cluster: MiniCluster;
  let browser: BrowserContext;
  let dir: string;
  const first = orders(0, 3, 8);
  const more = orders(3, 3, 8);
  const screens: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-screen-'));
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'first.jsonl'), first.map((o) => JSON.stringify(o)).join('\n') + '\n');
    writeFileSync(join(dir, 'in', 'all.jsonl'), [...first, ...more].map((o) => JSON.stringify(o)).join('\n') + '\n');
    cluster = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 2 });
    const args = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args, viewport: { width: 1920, height: 1080 }, timezoneId: 'UTC' });
  }, 180_000);

  afterAll(async () => {
    for (const s of screens) await stopScreen(s);
    await browser?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function runJob(input: string, outputs: (name: string) => string): Promise<void> {
    const args = Object.fromEntries([['orders', `file:${join(dir, 'in', input)}`], ...OUTPUTS.map((name) => [name, outputs(name)])]);
    const jobId = await cluster.submit(JOB, 1, args);
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 180_000);
    expect(final.failure).toBe('');
    expect(final.state).toBe('FINISHED');
  }

  async function checkScreen(sourceArgs: string[], outputs: (name: string) => string): Promise<void> {
    await runJob('first.jsonl', outputs);
    const screen = await startScreen(sourceArgs);
    screens.push(screen.child);
    const page = await browser.newPage();
    await page.goto(`${screen.url}?refresh=300`);

    const a = sums(first);
    const before = await waitFor(async () => {
      const s = await shown(page);
      return s.amountCents === String(a.amount) ? s : undefined;
    }, `the page to show the first run's total of ${a.amount} cents`, 60_000);
    expect(before.amountText).toBe(yuan(a.amount));
    expect(before.quantity).toBe(String(a.quantity));
    expect(before.minutes).toBe('3');
    expect(before.status).toContain('Live');
    for (const label of ['华为', 'Apple', '小米', 'Nike', '服饰', '数码', '男 Male', '女 Female', '08:00', '08:02']) expect(before.svgText).toContain(label);
    expect(before.users).toHaveLength(4);
    expect(before.users.some((u) => u.includes('张伟'))).toBe(true);

    await runJob('all.jsonl', outputs);
    const b = sums([...first, ...more]);
    const after = await waitFor(async () => {
      const s = await shown(page);
      return s.amountCents === String(b.amount) ? s : undefined;
    }, `the open page to update to the total of ${b.amount} cents`, 60_000);
    expect(after.amountText).toBe(yuan(b.amount));
    expect(after.quantity).toBe(String(b.quantity));
    expect(after.minutes).toBe('6');
    expect(after.svgText).toContain('08:05');
    await page.close();
  }

  it('shows the totals of the committed files and follows new windows', async () => {
    const out = join(dir, 'out');
    await checkScreen(['--out', out], (name) => `file:${join(out, name)}`);
  }, 600_000);

  it('shows the totals written to Redis and follows new windows', async (ctx) => {
    const redis = await redisOrSkip();
    if (redis === undefined) return ctx.skip();
    const prefix = `screen-test-${process.pid}-${Date.now()}`;
    try {
      const field = (name: string): string => (['minute_sales', 'category_rank', 'gender_10min'].includes(name) ? 'window_start' : 'as_of');
      await checkScreen(['--redis', `redis://${REDIS_ADDRESS}/${prefix}`], (name) => `redis://${REDIS_ADDRESS}/${prefix}?type=hash&key=${name}&field=${field(name)}`);
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  }, 600_000);
});
