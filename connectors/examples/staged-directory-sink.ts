/**
 * The example two-phase-commit sink of the README's "Writing a connector": records wait in memory
 * until a barrier, `preCommit` writes them to a pending file named by subtask and checkpoint,
 * `commit` (on checkpoint completion) renames it to its final name, and `recover` after a restart
 * commits the pending files the restored checkpoint lists. Pending files of checkpoints that never
 * completed are left behind under their pending name, so only committed files count as output.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sink, SinkContext, SinkWriter, TwoPhaseCommitSinkWriter } from '../../common/connector/sink.ts';

/** What a checkpoint stores of one transaction: the pending file and where it goes on commit. */
export interface StagedFile {
  readonly pending: string;
  readonly committed: string;
}

/** Writes `part-<subtask>-<checkpoint>.jsonl` files into `dir`, exactly once with checkpoints. */
export class StagedDirectorySink implements Sink<unknown> {
  readonly kind = 'staged-directory';

  constructor(private readonly dir: string) {}

  createWriter(context: SinkContext): SinkWriter<unknown> {
    return new StagedDirectoryWriter(this.dir, context);
  }
}

/** One subtask's writer; see the module comment. */
class StagedDirectoryWriter implements TwoPhaseCommitSinkWriter<unknown, StagedFile> {
  private lines: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly context: SinkContext,
  ) {}

  async open(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
  }

  write(record: unknown): void {
    this.lines.push(JSON.stringify(record));
  }

  async flush(): Promise<void> {}

  async preCommit(checkpointId: number): Promise<StagedFile[]> {
    if (this.lines.length === 0) return [];
    const name = `part-${this.context.subtaskIndex}-${checkpointId}.jsonl`;
    const file = { pending: join(this.dir, `.pending-a${this.context.attempt}-${name}`), committed: join(this.dir, name) };
    writeFileSync(file.pending, `${this.lines.join('\n')}\n`);
    this.lines = [];
    return [file];
  }

  async commit(transactions: readonly StagedFile[]): Promise<void> {
    for (const file of transactions) if (existsSync(file.pending)) renameSync(file.pending, file.committed);
  }

  async recover(toCommit: readonly StagedFile[]): Promise<void> {
    await this.commit(toCommit);
  }

  /** At the end of a bounded job the runtime takes a last checkpoint, which commits the rest. */
  async finish(): Promise<void> {
    if (!this.context.checkpointing) await this.commit(await this.preCommit(0));
  }

  async close(): Promise<void> {}
}
