/**
 * The attempt fence of a file sink. Each later attempt (a restart) of a job that opens a writer
 * of a sink operator leaves a hidden marker in the output directory,
 * `.attempt-<operator>-<job>-<attempt>`, and deletes the markers of older attempts. Before a writer publishes anything (commits pending
 * parts, or renames parts at the end of an unchecked job) it looks for a marker of a newer
 * attempt of its job and operator: a writer of an attempt the job was restarted without, still
 * running on a TaskManager that was cut off, finds one and publishes nothing.
 *
 * Markers are only ever added by the newest attempt and old ones removed by a newer one, so the
 * newest marker is never lost to a race between writers. Attempt numbers grow across restarts,
 * rescales and JobManager failovers of one job (see jobmanager/jobmaster/job-master.ts), and the
 * job id keeps two jobs writing into one directory apart.
 */
import { readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SinkContext } from '../../common/connector/sink.ts';
import { operatorInName } from './part-file-names.ts';

/** See the module comment; one per writer. */
export class FileSinkFence {
  private readonly prefix: string;

  constructor(
    private readonly directory: string,
    private readonly context: SinkContext,
  ) {
    this.prefix = `.attempt-${operatorInName(context.operatorId)}-${context.jobId}-`;
  }

  /** The marker of this writer's attempt. */
  get markerName(): string {
    return `${this.prefix}${this.context.attempt}`;
  }

  /**
   * Records this writer's attempt as the newest and deletes older attempts' markers; throws when
   * a newer attempt has already opened a writer here.
   */
  async enter(): Promise<void> {
    const attempts = await this.markedAttempts();
    this.refuseIfNewer(attempts, 'open');
    if (!attempts.includes(this.context.attempt)) {
      const path = join(this.directory, this.markerName);
      try {
        await writeFile(path, `${this.context.attempt}\n`, { flag: 'a' });
      } catch (error) {
        throw new Error(`file sink: writing the attempt marker "${path}" failed: ${errorText(error)}`, { cause: error });
      }
    }
    for (const older of attempts.filter((a) => a < this.context.attempt)) {
      const path = join(this.directory, `${this.prefix}${older}`);
      await unlink(path).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`file sink: deleting the attempt marker "${path}" failed: ${errorText(error)}`, { cause: error });
      });
    }
  }

  /** Throws, naming `action` and the newer attempt, when a newer attempt of the job writes here. */
  async check(action: string): Promise<void> {
    this.refuseIfNewer(await this.markedAttempts(), action);
  }

  private refuseIfNewer(attempts: readonly number[], action: string): void {
    const newest = Math.max(-1, ...attempts);
    if (newest <= this.context.attempt) return;
    const { jobId, operatorId, subtaskIndex, attempt } = this.context;
    throw new Error(
      `file sink: attempt ${attempt} of subtask ${subtaskIndex} of sink ${operatorId} (job ${jobId}) may not ${action} in "${this.directory}": attempt ${newest} of the job has taken over (marker "${this.prefix}${newest}")`,
    );
  }

  private async markedAttempts(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      throw new Error(`file sink: listing "${this.directory}" for attempt markers failed: ${errorText(error)}`, { cause: error });
    }
    const attempts: number[] = [];
    for (const name of names) {
      if (!name.startsWith(this.prefix)) continue;
      const rest = name.slice(this.prefix.length);
      if (/^\d+$/.test(rest)) attempts.push(Number(rest));
    }
    return attempts;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
