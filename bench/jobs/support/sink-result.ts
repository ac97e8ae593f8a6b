/** The result file a benchmark sink writes when its subtask finishes, and how to read them all. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one sink subtask saw. */
export interface SinkResult {
  readonly subtask: number;
  /** Records written to the sink. */
  readonly count: number;
  /** Sum of the per-record checksums, to compare with the hand-written baseline. */
  readonly checksum: number;
  /** Wall-clock ms (see `wallClockMs`) of the first record, or 0 without records. */
  readonly firstMs: number;
  /** Wall-clock ms of the end of the batch that held the last record, or 0 without records. */
  readonly lastMs: number;
  /** Anything else a sink reports, e.g. a latency histogram. */
  readonly extra?: unknown;
}

/** Writes the result of one subtask as `<dir>/sink-<subtask>.json`. */
export function writeSinkResult(dir: string, result: SinkResult): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `sink-${result.subtask}.json`), JSON.stringify(result));
}

/** Reads every `sink-*.json` of a directory, sorted by subtask. */
export function readSinkResults(dir: string): SinkResult[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('sink-') && name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as SinkResult)
    .sort((a, b) => a.subtask - b.subtask);
}
