/**
 * word-count on real processes: at p=1 and at p=3 the committed counts equal each other and a
 * reference computed here, over a directory of input files (one split each).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SplitMixRandom } from '../../connectors/datagen/split-mix-random.ts';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';

const JOB = 'jobs/examples/word-count';
const VOCABULARY = ['the', 'The', 'THE', 'straße', 'STRASSE', 'ünïcödé', 'Ünïcödé', '日本語', 'x1', '42', 'a', 'stream', 'Sluice', 'key-group', "don't", 'e-mail', '😀', 'ǅemal'];
const SEPARATORS = [' ', ', ', '. ', ' - ', '\t', '! ', ' (', ') ', '…', '  '];

interface WordCount {
  word: string;
  count: number;
}

/** The contract, computed independently of the job: lowercase, split on runs of letters and digits. */
function reference(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

describe('word-count on a cluster of 1 JobManager and 2 TaskManagers', () => {
  let cluster: MiniCluster;
  let dir: string;
  let input: string;
  const texts: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-word-count-'));
    input = join(dir, 'in');
    mkdirSync(input);
    const random = new SplitMixRandom(7);
    for (let file = 0; file < 4; file++) {
      const lines: string[] = [];
      for (let i = 0; i < 2500; i++) {
        const words = 1 + random.nextInt(12);
        let text = '';
        for (let w = 0; w < words; w++) {
          text += VOCABULARY[random.nextInt(VOCABULARY.length)]!;
          if (random.nextInt(5) === 0) text += String(random.nextInt(50));
          text += SEPARATORS[random.nextInt(SEPARATORS.length)]!;
        }
        texts.push(text);
        lines.push(JSON.stringify({ text, id: `${file}-${i}` }));
        if (i % 1000 === 999) lines.push('{"text": 5}', 'not json', '');
      }
      writeFileSync(join(input, `part-${file}.jsonl`), `${lines.join('\n')}\n`);
    }
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const results = new Map<number, WordCount[]>();
  for (const p of [1, 3]) {
    it(`emits exactly one count per word, equal to the reference, at p=${p}`, async () => {
      const out = join(dir, `out-${p}`);
      const malformed = join(dir, `malformed-${p}`);
      const jobId = await cluster.submit(JOB, p, { in: `file:${input}`, out: `file:${out}`, malformed: `file:${malformed}` });
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED']);
      expect(final.failure).toBe('');
      expect(final.state).toBe('FINISHED');

      const counts = readCommittedOutput<WordCount>(out);
      const expected = reference(texts);
      expect(new Set(counts.map((c) => c.word)).size).toBe(counts.length);
      expect(new Map(counts.map((c) => [c.word, c.count]))).toEqual(expected);
      expect(readCommittedOutput(malformed)).toHaveLength(4 * 2 * 2);
      results.set(p, counts.sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0)));
    });
  }

  it('gives identical results at p=1 and p=3', () => {
    expect(results.get(1)).toBeDefined();
    expect(results.get(3)).toEqual(results.get(1));
  });
});
