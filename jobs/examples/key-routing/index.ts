/**
 * key-routing: shows where keyBy sends each record. Reads `in` (JSONL `{key, value}`, key a string
 * or a safe integer), partitions by key, and writes `{key, value, subtask, max_parallelism}` to
 * `out`, where `subtask` is the index of the subtask that received the record.
 */
import { defineJob, MALFORMED } from 'sluice';

interface KeyedInput {
  key: string | number;
  value: unknown;
}

/** Why a record cannot be routed, or undefined when it can. */
function invalidKey(record: Record<string, unknown>): string | undefined {
  const key = record.key;
  if (typeof key === 'string') return undefined;
  if (typeof key === 'number' && Number.isSafeInteger(key)) return undefined;
  return `key must be a string or a safe integer, got ${key === undefined ? 'nothing' : JSON.stringify(key)}`;
}

export default defineJob({
  name: 'key-routing',
  build(env, args) {
    const records = env.fromSource(args.source('in', { validate: invalidKey }), 'in');
    const malformed = args.optionalSink('malformed');
    if (malformed) records.getSideOutput(MALFORMED).sinkTo(malformed).name('malformed');
    records
      .map((r) => r as unknown as KeyedInput)
      .name('parse')
      .keyBy((r) => r.key)
      .map((r, ctx) => ({ key: r.key, value: r.value, subtask: ctx.subtaskIndex, max_parallelism: ctx.maxParallelism }))
      .name('route')
      .sinkTo(args.sink('out'))
      .name('out');
  },
});
