import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSource } from '../../../connectors/file/file-source.ts';
import { pathOfFileUri } from '../../../connectors/file/file-uri.ts';
import { sinkFromUri, sourceFromUri } from '../../../connectors/registry.ts';
import { CollectSink } from '../../../connectors/sinks/collect-sink.ts';
import { FileSink } from '../../../connectors/sinks/file-sink.ts';
import { PrintSink } from '../../../connectors/sinks/print-sink.ts';
import { readerContext } from './contexts.ts';
import { drainReader } from './drain-reader.ts';
import { useTempDirs, writeFiles } from './temp-dir.ts';

const tempDir = useTempDirs();

describe('sourceFromUri', () => {
  it('builds a file source that reads the file', async () => {
    const dir = writeFiles(tempDir(), { 'in.data': 'a,b\n1,2\n' });
    const source = sourceFromUri('in', `file:${join(dir, 'in.data')}`, { format: 'csv' });
    expect(source).toBeInstanceOf(FileSource);
    expect(source.kind).toBe('file');
    const result = await drainReader(source.createReader(readerContext()), await source.enumerateSplits());
    expect(result.records).toEqual([{ a: '1', b: '2' }]);
  });

  it('names the input in errors', async () => {
    expect(() => sourceFromUri('in', 'ftp://host/x')).toThrow('input "in": unsupported URI scheme "ftp:" (supported: file:, kafka:, nats:, postgres:, mysql:)');
    expect(() => sourceFromUri('in', 'data/x.jsonl')).toThrow(/input "in": "data\/x.jsonl" has no URI scheme/);
    expect(() => sourceFromUri('in', 'file:')).toThrow(/input "in": "file:" has an empty path/);
    await expect(sourceFromUri('orders', `file:${join(tempDir(), 'none-*.jsonl')}`).enumerateSplits()).rejects.toThrow(
      /input "orders" .*no files match/,
    );
  });
});

describe('sinkFromUri', () => {
  it('supports file:, print: and collect:', () => {
    expect(sinkFromUri('out', 'file:out/x')).toBeInstanceOf(FileSink);
    expect((sinkFromUri('out', 'file:out/x') as FileSink).directory).toBe('out/x');
    expect(sinkFromUri('out', 'print:')).toBeInstanceOf(PrintSink);
    expect(sinkFromUri('out', 'collect:')).toBeInstanceOf(CollectSink);
  });

  it('names the output in errors', () => {
    expect(() => sinkFromUri('alerts', 'amqp://localhost:5672/q')).toThrow(
      'output "alerts": unsupported URI scheme "amqp:" (supported: file:, print:, collect:, kafka:, nats:, postgres:, mysql:, redis:)',
    );
    expect(() => sinkFromUri('alerts', 'out/dir')).toThrow(/output "alerts": .*no URI scheme/);
  });
});

describe('pathOfFileUri', () => {
  it('accepts relative, absolute and file:// forms and keeps globs literal', () => {
    expect(pathOfFileUri('file:data/orders')).toBe('data/orders');
    expect(pathOfFileUri('file:/abs/x.jsonl')).toBe('/abs/x.jsonl');
    expect(pathOfFileUri('file:///abs/part-?.jsonl')).toBe('/abs/part-?.jsonl');
    expect(pathOfFileUri('file://localhost/abs/x')).toBe('/abs/x');
    expect(() => pathOfFileUri('file://remote/abs/x')).toThrow(/only local files/);
  });
});
