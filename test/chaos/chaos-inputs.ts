/**
 * Deterministic inputs for the chaos suite and their failure-free reference outputs, computed
 * here from the same data: word-count (a count per word) and window-count (a count per key and
 * 10 s event-time window; disorder stays within the 2 s bound, so no record is late).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reference } from '../../client/chaos/output-diff.ts';

export { compareOutput, type Reference } from '../../client/chaos/output-diff.ts';
import { SplitMixRandom } from '../../connectors/datagen/split-mix-random.ts';

/** Writes `files` JSONL files of `records` lines in total; returns their glob. */
function writeSplits(dir: string, files: number, records: number, line: (i: number, random: SplitMixRandom) => string, seed: number): string {
  const random = new SplitMixRandom(seed);
  const lines: string[][] = Array.from({ length: files }, () => []);
  for (let i = 0; i < records; i++) lines[i % files]!.push(line(i, random));
  for (let f = 0; f < files; f++) writeFileSync(join(dir, `part-${f}.jsonl`), `${lines[f]!.join('\n')}\n`);
  return join(dir, 'part-*.jsonl');
}

/** word-count input: `records` lines of 1 to 4 words from a vocabulary of 20 000; the reference counts. */
export function wordCountInput(dir: string, records: number): { glob: string; reference: Reference } {
  const counts = new Map<string, number>();
  const glob = writeSplits(
    dir,
    3,
    records,
    (_i, random) => {
      const words: string[] = [];
      const n = 1 + random.nextInt(4);
      for (let k = 0; k < n; k++) words.push(`w${random.nextInt(20_000)}`);
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
      return JSON.stringify({ text: words.join(' ') });
    },
    3,
  );
  const reference: Reference = new Map();
  for (const [word, count] of counts) reference.set(JSON.stringify({ word, count }), 1);
  return { glob, reference };
}

/** window-count input: events 10 ms apart per file with up to 1 s of disorder over 50 keys; the reference counts. */
export function windowCountInput(dir: string, records: number): { glob: string; reference: Reference } {
  const counts = new Map<string, number>();
  const t0 = 1_700_000_000_000;
  const glob = writeSplits(
    dir,
    3,
    records,
    (i, random) => {
      const ts = t0 + Math.floor(i / 3) * 10 - random.nextInt(1_000);
      const key = `k${random.nextInt(50)}`;
      const start = ts - (ts % 10_000);
      const id = JSON.stringify([key, start]);
      counts.set(id, (counts.get(id) ?? 0) + 1);
      return JSON.stringify({ ts, key });
    },
    5,
  );
  const reference: Reference = new Map();
  for (const [id, count] of counts) {
    const [key, start] = JSON.parse(id) as [string, number];
    reference.set(JSON.stringify({ key, window_start: start, window_end: start + 10_000, count }), 1);
  }
  return { glob, reference };
}
