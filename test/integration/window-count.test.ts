/**
 * window-count on real processes, at p=1 and p=3, against a reference computed here:
 * - one file with disorder within the 2 s bound plus records far behind the watermark: counts per
 *   key and 10 s window, and the late records, exactly;
 * - a directory of files, each with disorder within the bound, read concurrently: no late record
 *   at all, however the files interleave.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SplitMixRandom } from '../../connectors/datagen/split-mix-random.ts';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';

const JOB = 'jobs/examples/window-count';
const WINDOW = 10_000;
const BOUND = 2_000;
const T0 = 1_700_000_000_000;

interface Event {
  ts: number;
  key: string | number;
  seq: number;
}

interface WindowCount {
  key: string | number;
  window_start: number;
  window_end: number;
  count: number;
}

/** Per-split semantics: a record is late when its window's last ms is at or before the watermark of the records before it. */
function reference(splits: readonly (readonly Event[])[]): { counts: Map<string, number>; late: Event[] } {
  const counts = new Map<string, number>();
  const late: Event[] = [];
  for (const events of splits) {
    let maxTs = Number.NEGATIVE_INFINITY;
    for (const e of events) {
      const start = e.ts - (((e.ts % WINDOW) + WINDOW) % WINDOW);
      const watermark = maxTs - BOUND - 1;
      if (start + WINDOW - 1 <= watermark) late.push(e);
      else {
        const id = JSON.stringify([e.key, start, start + WINDOW]);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      maxTs = Math.max(maxTs, e.ts);
    }
  }
  return { counts, late };
}

/** Events moving forward ~50 ms apiece with disorder up to `disorder` ms, and `late` far-behind records after the first 5000. */
function events(seed: number, n: number, disorder: number, late: number, firstSeq: number): Event[] {
  const random = new SplitMixRandom(seed);
  const keys = ['alpha', 'beta', 'gamma', 'Ünïcödé', 7, -3, 2 ** 40];
  const out: Event[] = [];
  for (let i = 0; i < n; i++) {
    const ts = T0 + i * 50 - random.nextInt(disorder + 1);
    out.push({ ts, key: keys[random.nextInt(keys.length)]!, seq: firstSeq + i });
    if (late > 0 && i >= 5000 && i % Math.floor((n - 5000) / late) === 0) {
      out.push({ ts: T0 + (i - 1000) * 50, key: keys[random.nextInt(keys.length)]!, seq: -(firstSeq + i) });
    }
  }
  return out;
}

function write(file: string, list: readonly Event[], extraLines: readonly string[] = []): void {
  writeFileSync(file, `${[...list.map((e) => JSON.stringify(e)), ...extraLines].join('\n')}\n`);
}

function asMap(rows: readonly WindowCount[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const r of rows) {
    const id = JSON.stringify([r.key, r.window_start, r.window_end]);
    expect(map.has(id)).toBe(false);
    map.set(id, r.count);
  }
  return map;
}

describe('window-count on a cluster of 1 JobManager and 2 TaskManagers', () => {
  let cluster: MiniCluster;
  let dir: string;
  const single: Event[] = events(1, 12_000, BOUND, 20, 0);
  const files: Event[][] = [0, 1, 2, 3].map((f) => events(10 + f, 4000, BOUND, 0, (f + 1) * 100_000));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-window-count-'));
    write(join(dir, 'single.jsonl'), single, ['{"ts": 1.5, "key": "a"}', '{"key": "a"}', 'oops']);
    mkdirSync(join(dir, 'many'));
    files.forEach((f, i) => write(join(dir, 'many', `part-${i}.jsonl`), f));
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(input: string, p: number, name: string): Promise<{ counts: WindowCount[]; late: Event[]; malformed: unknown[] }> {
    const out = join(dir, `${name}-out-${p}`);
    const late = join(dir, `${name}-late-${p}`);
    const malformed = join(dir, `${name}-malformed-${p}`);
    const jobId = await cluster.submit(JOB, p, { in: `file:${input}`, out: `file:${out}`, late: `file:${late}`, malformed: `file:${malformed}` });
    const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED']);
    expect(final.failure).toBe('');
    expect(final.state).toBe('FINISHED');
    return { counts: readCommittedOutput<WindowCount>(out), late: readCommittedOutput<Event>(late), malformed: readCommittedOutput(malformed) };
  }

  const outputs = new Map<string, WindowCount[]>();
  for (const p of [1, 3]) {
    it(`counts one file with late records exactly as the reference at p=${p}`, async () => {
      const expected = reference([single]);
      expect(expected.late.length).toBeGreaterThanOrEqual(15);
      const result = await run(join(dir, 'single.jsonl'), p, 'single');
      expect(asMap(result.counts)).toEqual(expected.counts);
      expect(result.late.map((e) => e.seq).sort((a, b) => a - b)).toEqual(expected.late.map((e) => e.seq).sort((a, b) => a - b));
      expect(result.late.find((e) => e.seq === expected.late[0]!.seq)).toEqual(expected.late[0]);
      expect(result.malformed).toHaveLength(3);
      for (const c of result.counts) expect(c.window_end - c.window_start).toBe(WINDOW);
      outputs.set(`single-${p}`, result.counts);
    });

    it(`finds no late record in files with disorder within the bound, read concurrently, at p=${p}`, async () => {
      const expected = reference(files);
      expect(expected.late).toEqual([]);
      const result = await run(join(dir, 'many'), p, 'many');
      expect(result.late).toEqual([]);
      expect(asMap(result.counts)).toEqual(expected.counts);
      outputs.set(`many-${p}`, result.counts);
    });
  }

  it('gives identical results at p=1 and p=3', () => {
    const sorted = (rows: WindowCount[] | undefined) => rows?.map((r) => JSON.stringify(r)).sort();
    expect(sorted(outputs.get('single-1'))).toBeDefined();
    expect(sorted(outputs.get('single-3'))).toEqual(sorted(outputs.get('single-1')));
    expect(sorted(outputs.get('many-3'))).toEqual(sorted(outputs.get('many-1')));
  });
});
