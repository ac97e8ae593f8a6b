import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CollectSink } from '../../../connectors/sinks/collect-sink.ts';
import { PrintSink } from '../../../connectors/sinks/print-sink.ts';
import { SlowSink } from '../../../connectors/sinks/slow-sink.ts';
import { sinkContext } from './contexts.ts';

describe('CollectSink', () => {
  it('pushes buffered records in flush and finish, in batches of at most 1000', async () => {
    const context = sinkContext();
    const writer = new CollectSink().createWriter(context);
    await writer.open();
    for (let i = 0; i < 2500; i++) writer.write(i);
    expect(context.collected).toEqual([]);
    await writer.flush();
    expect(context.collected.map((batch) => batch.length)).toEqual([1000, 1000, 500]);
    writer.write('last');
    await writer.finish();
    await writer.close();
    expect(context.collected.map((batch) => batch.length)).toEqual([1000, 1000, 500, 1]);
    expect(context.collected.flat()).toEqual([...Array.from({ length: 2500 }, (_, i) => i), 'last']);
  });
});

describe('PrintSink', () => {
  async function printed(parallelism: number, identifier?: string): Promise<string> {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const writer = new PrintSink({ stream, identifier }).createWriter(sinkContext(1, parallelism));
    await writer.open();
    writer.write({ a: 1 });
    writer.write('x');
    expect(chunks).toEqual([]);
    await writer.finish();
    await writer.close();
    return chunks.join('');
  }

  it('prefixes lines with the 1-based subtask when parallel, like Flink', async () => {
    expect(await printed(1)).toBe('{"a":1}\n"x"\n');
    expect(await printed(2)).toBe('2> {"a":1}\n2> "x"\n');
    expect(await printed(2, 'alerts')).toBe('alerts:2> {"a":1}\nalerts:2> "x"\n');
  });
});

describe('SlowSink', () => {
  it('counts records and waits in flush', async () => {
    const sink = new SlowSink({ delayMs: 30, recordsPerFlush: 10 });
    const writer = sink.createWriter(sinkContext());
    await writer.open();
    for (let i = 0; i < 25; i++) writer.write(i);
    expect(sink.written).toBe(25);
    expect(sink.flushed).toBe(0);
    const started = performance.now();
    await writer.flush();
    expect(performance.now() - started).toBeGreaterThanOrEqual(80);
    expect(sink.flushed).toBe(25);
    const idle = performance.now();
    await writer.finish();
    expect(performance.now() - idle).toBeLessThan(25);
    await writer.close();
  });
});
