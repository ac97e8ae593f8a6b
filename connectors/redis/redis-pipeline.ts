/**
 * Writes a list of Redis commands in pipelines of bounded size.
 */
import type { Redis } from 'ioredis';

/** Commands per pipeline: large enough to amortize round trips, small enough to bound a reply. */
export const PIPELINE_COMMANDS = 1_000;

/**
 * Sends `commands` (each its arguments, name first) in order, `PIPELINE_COMMANDS` at a time, and
 * waits for every reply. Rejects with the first command error Redis answered.
 */
export async function writePipelined(client: Redis, commands: readonly (readonly string[])[]): Promise<void> {
  for (let start = 0; start < commands.length; start += PIPELINE_COMMANDS) {
    const chunk = commands.slice(start, start + PIPELINE_COMMANDS).map((args) => [...args]);
    const replies = await client.pipeline(chunk).exec();
    if (replies === null) throw new Error('the pipeline was discarded');
    for (const [index, [error]] of replies.entries()) {
      if (error) throw new Error(`${chunk[index]?.[0] ?? 'command'} ${chunk[index]?.[1] ?? ''} failed: ${error.message}`, { cause: error });
    }
  }
}
