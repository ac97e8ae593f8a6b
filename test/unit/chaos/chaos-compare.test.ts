/** What `sluice chaos` compares: which arguments are file outputs, and how two runs' rows differ. */
import { describe, expect, it } from 'vitest';
import { prepareJob } from '../../../client/cli/prepare-job.ts';
import { fileOutputNames } from '../../../client/chaos/file-outputs.ts';
import { canonical, compareOutput, referenceOf } from '../../../client/chaos/output-diff.ts';

describe('fileOutputNames', () => {
  it('takes every file: argument no source reads, with or without ?rate=', async () => {
    const args = { in: 'file:/tmp/in/*.jsonl?rate=100', out: 'file:/tmp/out', malformed: 'file:/tmp/bad', extra: 'print:' };
    const prepared = await prepareJob('jobs/examples/word-count', 1, args);
    expect(fileOutputNames(prepared.plan, args).sort()).toEqual(['malformed', 'out']);
  });
});

describe('compareOutput', () => {
  it('ignores row and field order, and counts duplicates, losses and unexpected rows', () => {
    const clean = [{ a: 1, b: { x: 1, y: 2 } }, { a: 2 }, { a: 3 }];
    expect(compareOutput([{ a: 3 }, { b: { y: 2, x: 1 }, a: 1 }, { a: 2 }], referenceOf(clean))).toEqual({ duplicates: 0, lost: 0, unexpected: 0 });
    expect(compareOutput([{ a: 1, b: { x: 1, y: 2 } }, { a: 2 }, { a: 2 }, { a: 4 }], referenceOf(clean))).toEqual({ duplicates: 1, lost: 1, unexpected: 1 });
  });

  it('sorts keys at every level', () => {
    expect(canonical({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});
