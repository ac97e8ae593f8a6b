/**
 * Reads the metrics from the job's committed file outputs: `DIR/<output>/part-*.jsonl`, one
 * directory per output as the README's command lays them out. Hidden files (in progress, pending,
 * fences) are not output and are skipped. A committed part file never changes, so each is parsed
 * once; a part file that disappears means the output was rewritten, and it is read again whole.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { log } from './screen-log.ts';
import { MetricTables, SCREEN_OUTPUTS, type MetricsReader, type ScreenOutput, type ScreenSnapshot } from './snapshot.ts';

/** A reader of the committed part files under one output directory. */
export class FileMetricsReader implements MetricsReader {
  readonly description: string;
  private readonly tables = new MetricTables();
  private readonly seen = new Map<ScreenOutput, Set<string>>(SCREEN_OUTPUTS.map((o) => [o, new Set()]));

  constructor(private readonly dir: string) {
    this.description = `files under ${dir}`;
  }

  async read(): Promise<ScreenSnapshot> {
    for (const output of SCREEN_OUTPUTS) await this.readOutput(output);
    return this.tables.snapshot(this.description);
  }

  async close(): Promise<void> {}

  private async readOutput(output: ScreenOutput): Promise<void> {
    const dir = join(this.dir, output);
    const names = (await listDir(dir)).filter((n) => !n.startsWith('.'));
    const present = new Set(names);
    let seen = this.seen.get(output) ?? new Set<string>();
    if ([...seen].some((n) => !present.has(n))) {
      this.tables.clear(output);
      seen = new Set();
      this.seen.set(output, seen);
    }
    for (const name of names) {
      if (seen.has(name)) continue;
      const path = join(dir, name);
      this.parse(output, path, await readFile(path, 'utf8'));
      seen.add(name);
    }
  }

  private parse(output: ScreenOutput, path: string, text: string): void {
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        skipped++;
        continue;
      }
      if (!this.tables.put(output, record)) skipped++;
    }
    if (skipped > 0) log.warn({ path, output, skipped }, 'skipped lines that are not records of this output');
  }
}

/** The names in a directory; none while the job has not created it yet. */
async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot list the output directory ${dir}: ${(error as Error).message}`);
  }
}
