/**
 * Runs one benchmark in its own child process (`node bin/run-ts.js bench/<name>.ts`), so that
 * each starts from a fresh heap; its logs go to stderr and its stdout, the JSON line, comes back.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runTs = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));

/** Extra Node flags per benchmark. */
const NODE_ARGS: Readonly<Record<string, readonly string[]>> = { 'state-memory': ['--expose-gc'] };

/** Runs benchmark `name` with `env` added to the environment; resolves with its stdout and exit code. */
export function runBenchmark(name: string, env: Readonly<Record<string, string>> = {}): Promise<{ stdout: string; code: number | null }> {
  const file = fileURLToPath(new URL(`../${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, [...(NODE_ARGS[name] ?? []), runTs, file], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ stdout, code }));
  });
}
