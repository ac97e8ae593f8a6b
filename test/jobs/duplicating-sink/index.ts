/**
 * duplicating-sink: a job that is deliberately not exactly once, for `sluice chaos` to catch. It
 * copies `in` (JSONL) to `out=file:DIR` with a writer that appends each record to a visible part
 * file as soon as it is flushed, outside any transaction: records replayed after a restart are
 * appended again.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineJob, type Sink, type SinkContext, type SinkWriter } from 'sluice';

/** Appends JSON lines to `DIR/part-<subtask>` at every flush, never rolling anything back. */
class AppendingSink implements Sink<unknown> {
  readonly kind = 'appending-file';

  constructor(private readonly directory: string) {}

  createWriter(context: SinkContext): SinkWriter<unknown> {
    const file = join(this.directory, `part-${context.subtaskIndex}`);
    let pending: string[] = [];
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      appendFileSync(file, `${pending.join('\n')}\n`);
      pending = [];
    };
    return {
      open: async () => {
        mkdirSync(this.directory, { recursive: true });
      },
      write: (record) => {
        pending.push(JSON.stringify(record));
      },
      flush,
      finish: flush,
      close: async () => undefined,
    };
  }
}

export default defineJob({
  name: 'duplicating-sink',
  build(env, args) {
    const out = args.get('out');
    if (!out.startsWith('file:')) throw new Error(`job argument "out" must be file:DIR, got ${out}`);
    env.fromSource(args.source('in'), 'in').sinkTo(new AppendingSink(out.slice('file:'.length))).name('out');
  },
});
