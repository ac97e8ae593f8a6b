/**
 * The malformed output of a file source is bounded per checkpoint interval: past
 * `maxMalformedBytes` the source task fails with an error naming the limit and the input; each
 * checkpoint starts a new interval. The limit comes from the options or the URI, with a default.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_MALFORMED_BYTES } from '../../../common/connector/source.ts';
import { FileSource } from '../../../connectors/file/file-source.ts';
import { sourceFromUri } from '../../../connectors/registry.ts';
import { SourceOperator } from '../../../taskmanager/operators/source-operator.ts';
import type { Output } from '../../../taskmanager/operators/stream-operator.ts';
import { readerContext } from './contexts.ts';
import { useTempDirs, writeFiles } from './temp-dir.ts';

const tempDir = useTempDirs();

/** Counts what reaches the malformed side output. */
class CountingOutput implements Output {
  malformed = 0;
  records = 0;
  collect(): void {
    this.records++;
  }
  collectSide(): void {
    this.malformed++;
  }
  emitWatermark(): void {}
}

/** `lines` lines of 10 bytes that are not JSON, one valid record after them. */
function brokenInput(lines: number): string {
  const dir = writeFiles(tempDir(), { 'in.jsonl': `${'not json!!\n'.repeat(lines)}{"a":1}\n` });
  return join(dir, 'in.jsonl');
}

/** Polls `maxRecords` at a time until the end, calling `between` after every poll. */
async function readToEnd(source: SourceOperator, maxRecords: number, between: () => void = () => {}): Promise<void> {
  await source.open();
  for (;;) {
    const status = source.poll(maxRecords);
    between();
    if (status === 'end') break;
    if (status === 'nothing') await source.available();
  }
  await source.close();
}

/** The bytes one malformed report of `brokenInput` is charged. */
async function bytesPerReport(): Promise<number> {
  let bytes = 0;
  const file = new FileSource(brokenInput(1));
  const reader = file.createReader(readerContext());
  reader.addSplits(await file.enumerateSplits());
  await reader.open();
  const target = {
    collect: () => {},
    setSplit: () => {},
    splitEnded: () => {},
    malformed: (raw: string, error: string) => {
      bytes = Buffer.byteLength(raw) + Buffer.byteLength(error);
    },
  };
  while (bytes === 0) if (reader.pollNext(target, 10) === 'nothing') await reader.available();
  await reader.close();
  return bytes;
}

async function operatorFor(path: string, maxMalformedBytes: number | undefined, output: Output): Promise<SourceOperator> {
  const file = new FileSource(path, { inputName: 'in', maxMalformedBytes });
  return new SourceOperator(file.createReader(readerContext()), await file.enumerateSplits(), output, 'in', undefined);
}

describe('the malformed output bound per checkpoint interval', () => {
  it('fails the source past the limit, naming the input and the limit', async () => {
    const perReport = await bytesPerReport();
    const output = new CountingOutput();
    const source = await operatorFor(brokenInput(10), perReport * 4, output);
    await expect(readToEnd(source, 100)).rejects.toThrow(`input "in": the malformed output exceeded maxMalformedBytes (${perReport * 4} bytes`);
    expect(output.malformed).toBe(4);
    expect(output.records).toBe(0);
  });

  it('starts a new interval at each checkpoint', async () => {
    const perReport = await bytesPerReport();
    const output = new CountingOutput();
    const source = await operatorFor(brokenInput(10), perReport * 2, output);
    await readToEnd(source, 2, () => source.snapshotState());
    expect(output.malformed).toBe(10);
    expect(output.records).toBe(1);
  });

  it('defaults to 64 MiB, and refuses a limit that is not a positive integer', () => {
    expect(new FileSource('x.jsonl').maxMalformedBytes).toBe(DEFAULT_MAX_MALFORMED_BYTES);
    expect(DEFAULT_MAX_MALFORMED_BYTES).toBe(64 * 1024 * 1024);
    expect(() => new FileSource('x.jsonl', { maxMalformedBytes: 0 })).toThrow('maxMalformedBytes must be a positive integer, got 0');
    expect(() => new FileSource('x.jsonl', { maxMalformedBytes: 1.5 })).toThrow('maxMalformedBytes must be a positive integer, got 1.5');
  });

  it('takes the limit from the URI, which wins over the job option', () => {
    const fromUri = sourceFromUri('in', 'file:data/x.jsonl?rate=5&maxMalformedBytes=300', { maxMalformedBytes: 7 }) as FileSource;
    expect(fromUri.pattern).toBe('data/x.jsonl');
    expect(fromUri.maxMalformedBytes).toBe(300);
    expect(fromUri.maxRecordsPerSecond).toBe(5);
    expect((sourceFromUri('in', 'file:x.jsonl', { maxMalformedBytes: 7 }) as FileSource).maxMalformedBytes).toBe(7);
    expect(() => sourceFromUri('in', 'file:x.jsonl?maxMalformedBytes=0')).toThrow(/maxMalformedBytes= must be a positive integer/);
  });
});
