/**
 * Takes a PNG of a running big screen in headless Chromium, for the README:
 * `node bin/run-ts.js jobs/order-dashboard/screen/screenshot.ts URL OUT.png [CHROMIUM]`.
 * Waits until the page shows the job's totals, so the picture is never of an empty screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [url, out, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
if (url === undefined || out === undefined) {
  process.stderr.write('usage: node bin/run-ts.js jobs/order-dashboard/screen/screenshot.ts URL OUT.png [CHROMIUM]\n');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'sluice-screen-shot-'));
const args = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args, viewport: { width: 1920, height: 1080 }, timezoneId: 'UTC' });
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.waitForFunction(() => (document.getElementById('total-amount')?.dataset.cents ?? '') !== '');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: out });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
