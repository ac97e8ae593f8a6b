/** What a file output committed: its visible part files, read back as JSON lines. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads every committed part file (names not starting with `.`) of a file output as JSON lines. */
export function readCommittedOutput<T = Record<string, unknown>>(dir: string): T[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !n.startsWith('.'))
    .flatMap((n) =>
      readFileSync(join(dir, n), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as T),
    );
}
