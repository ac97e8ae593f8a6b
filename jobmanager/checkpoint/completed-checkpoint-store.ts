/**
 * The completed checkpoints of one job that are kept: the newest `retained` ones. Adding one
 * subsumes the oldest beyond that: its directory is deleted. Then every shared state file that no
 * kept checkpoint references and that a checkpoint up to the new one wrote is deleted: files of
 * subsumed and aborted checkpoints, and of acknowledgements that never arrived. Files of later
 * checkpoints stay, since one may be in flight.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SHARED_STATE_DIR } from '../../common/checkpoint/checkpoint-storage.ts';
import { errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logging.ts';
import type { CompletedCheckpoint } from './pending-checkpoint.ts';

/** See the module comment. */
export class CompletedCheckpointStore {
  private readonly kept: CompletedCheckpoint[] = [];

  constructor(
    /** The job's checkpoint directory, which state file paths are relative to. */
    private readonly jobRoot: string,
    private readonly retained: number,
    private readonly log: Logger,
  ) {}

  /** The kept checkpoints, oldest first. */
  get checkpoints(): readonly CompletedCheckpoint[] {
    return this.kept;
  }

  /** Keeps a checkpoint that exists already (restored from), without deleting anything. */
  adopt(checkpoint: CompletedCheckpoint): void {
    if (this.kept.some((c) => c.checkpointId === checkpoint.checkpointId)) return;
    this.kept.push(checkpoint);
    this.kept.sort((a, b) => a.checkpointId - b.checkpointId);
  }

  /** Keeps a new checkpoint and deletes what it subsumes. */
  async add(checkpoint: CompletedCheckpoint): Promise<void> {
    this.adopt(checkpoint);
    const dropped = this.kept.splice(0, Math.max(0, this.kept.length - this.retained));
    try {
      for (const old of dropped) await rm(old.directory, { recursive: true, force: true });
      await this.deleteUnreferenced(checkpoint.checkpointId);
    } catch (error) {
      this.log.warn({ checkpoint: checkpoint.checkpointId, err: errorMessage(error) }, 'deleting subsumed checkpoint state failed');
    }
  }

  private async deleteUnreferenced(upToId: number): Promise<void> {
    const referenced = new Set<string>();
    for (const c of this.kept) for (const f of c.files) referenced.add(f);
    let names: string[];
    try {
      names = await readdir(join(this.jobRoot, SHARED_STATE_DIR));
    } catch {
      return;
    }
    for (const name of names) {
      const path = `${SHARED_STATE_DIR}/${name}`;
      const writtenBy = Number(STATE_FILE_CHECKPOINT.exec(name)?.[1] ?? Number.NaN);
      if (!referenced.has(path) && writtenBy <= upToId) await rm(join(this.jobRoot, path), { force: true });
    }
  }
}

/** The checkpoint id in a state file name: `<operator>-<key group>-<checkpoint>-<full|delta>-<random>.kst`. */
const STATE_FILE_CHECKPOINT = /-(\d+)-(?:full|delta)-[^-]+\.kst$/;
