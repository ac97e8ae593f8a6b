/**
 * The seed and budget of the fuzz suites: a fixed seed and a small budget in `npm test`, so that a
 * run is reproducible; `npm run fuzz` raises the budget and draws a new seed each run (fast-check
 * prints the seed and the shrunk input of a failure, to replay with FUZZ_SEED).
 */
import type { Parameters } from 'fast-check';

const runs = Number(process.env.FUZZ_RUNS ?? 200);
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS !== undefined ? Date.now() % 2 ** 31 : 20_261_207;

/** fast-check parameters for one property. */
export function budget<T>(scale = 1): Parameters<T> {
  return { numRuns: Math.max(1, Math.round(runs * scale)), seed };
}

/** A test timeout that grows with the budget. */
export const FUZZ_TIMEOUT_MS = 30_000 + runs * 50;

/**
 * Asserts that `fn` either returns or throws an `Error` with a non-empty message: hostile input
 * fails the one message or file it came in, with a reason, and never with a TypeError from deep
 * inside a decoder or an exception that is not an Error.
 */
export function failsCleanly(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof Error) || error.message === '') throw new Error(`threw ${String(error)} instead of an Error that names the problem`);
    if (error instanceof TypeError && /undefined|null|not a function|Cannot read/.test(error.message)) throw new Error(`crashed inside the decoder: ${error.message}`);
  }
}

/** `failsCleanly` for an async function. */
export async function failsCleanlyAsync(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof Error) || error.message === '') throw new Error(`threw ${String(error)} instead of an Error that names the problem`);
    if (error instanceof TypeError && /undefined|null|not a function|Cannot read/.test(error.message)) throw new Error(`crashed inside the decoder: ${error.message}`);
  }
}
