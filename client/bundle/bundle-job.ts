/**
 * Bundles a job module into one CommonJS file that travels with the job graph. The runtime's
 * public API (`sluice`) stays an import, resolved by each process to its own copy.
 */
import { build } from 'esbuild';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The module specifiers that are left to the running process. */
export const RUNTIME_MODULES = ['sluice', 'sluice/*'];

/** Finds the entry file of a job given as a file or a directory. */
export function resolveJobEntry(jobPath: string): string {
  const path = resolve(jobPath);
  if (!existsSync(path)) throw new Error(`job not found: ${jobPath}`);
  if (!statSync(path).isDirectory()) return path;
  for (const name of ['index.ts', 'index.js', 'index.mjs', 'job.ts', 'job.js']) {
    const candidate = join(path, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`job directory ${jobPath} has no index.ts or index.js`);
}

/** Bundles the job module at `jobPath` and returns the CommonJS source. */
export async function bundleJob(jobPath: string): Promise<string> {
  const entry = resolveJobEntry(jobPath);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    external: RUNTIME_MODULES,
    logLevel: 'silent',
    sourcemap: 'inline',
    sourcesContent: false,
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`bundling ${jobPath} produced no output`);
  return file.text;
}
