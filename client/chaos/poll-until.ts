/** Waits on a condition of a cluster by polling it, never on a bare sleep. */

/**
 * Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs` with
 * an error naming `what` and the probe's last error.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
