/**
 * The writer of one file-sink subtask.
 */
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { SinkContext, TwoPhaseCommitSinkWriter } from '../../common/connector/sink.ts';
import {
  committedName,
  inProgressName,
  newWriterId,
  operatorInName,
  parseHiddenPartName,
  partFileId,
  pendingName,
  type HiddenPartName,
  type PartFileId,
} from './part-file-names.ts';
import { FileSinkFence } from './file-sink-fence.ts';

/**
 * One pre-committed part file: durable under the hidden name `file`, visible once renamed to
 * `committed`, both names inside `directory`. JSON-serializable, for checkpoints.
 */
export interface FileTransaction {
  readonly file: string;
  readonly committed: string;
  /**
   * The absolute directory the part was written in, where it is committed even when a job is
   * restored with its sink pointed elsewhere; absent in older checkpoints, where it is the sink's
   * directory.
   */
  readonly directory?: string;
}

/** A part file that is written, synced and closed, but not yet pending or committed. */
interface ClosedPart {
  readonly id: PartFileId;
  readonly size: number;
}

/**
 * Buffers each record as a JSON line and appends the buffer to the current in-progress part
 * file in `flush`. A part that reaches the roll size is closed and a new one starts with the
 * next flush. Part names carry a random writer id, so no two writers, attempts or runs share a
 * name (see `part-file-names.ts`).
 *
 * Without checkpointing, `finish` renames every part to its committed name. With checkpointing,
 * output is committed in two phases: `preCommit` at a checkpoint barrier closes the parts and
 * renames them to hidden pending names, and `commit`, once the checkpoint completes, makes them
 * visible. `close` leaves in-progress and pending files behind; they are never output. `open`
 * deletes the in-progress files an earlier writer of this subtask left (no transaction names an
 * in-progress file, so they can only be garbage), so that a job restarted without restored state,
 * for example after its disk filled up before the first checkpoint, gets that space back; on a
 * restore `recover` also deletes the pending files it does not keep.
 *
 * Publishing is fenced by attempt (see `file-sink-fence.ts`): `open` of a later attempt marks it
 * as the job's newest in the directory (the first attempt has none to fence off and leaves no
 * marker), and `commit`, `recover` and an unchecked `finish` throw
 * instead of making any part visible once a newer attempt of the job has opened a writer there.
 *
 * Every failing file operation throws an Error naming the file (with the OS error as cause and
 * its `code` kept), for example `file sink: writing "out/.part-...inprogress" failed: ENOSPC: ...`.
 */
export class FileSinkWriter implements TwoPhaseCommitSinkWriter<unknown, FileTransaction> {
  private readonly lines: string[] = [];
  private handle: FileHandle | undefined;
  private currentSize = 0;
  private nextPart = 0;
  private currentPart = -1;
  private readonly closedParts: ClosedPart[] = [];
  private readonly fence: FileSinkFence;

  /**
   * @param writerId the random id in this writer's part names; tests pass one to know the names
   *   in advance
   */
  constructor(
    private readonly directory: string,
    private readonly rollSizeBytes: number,
    private readonly context: SinkContext,
    private readonly writerId = newWriterId(),
  ) {
    this.fence = new FileSinkFence(directory, context);
  }

  /**
   * Creates the directory, marks a later attempt as the job's newest there (throwing when a newer
   * one already is) and deletes the in-progress files earlier writers of this subtask left.
   */
  async open(): Promise<void> {
    try {
      await mkdir(this.directory, { recursive: true });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`file sink: cannot create output directory "${this.directory}": ${reason}`, { cause: error });
    }
    if (this.context.attempt > 0) await this.fence.enter();
    await this.deleteLeftovers((part) => part.kind === 'inprogress');
  }

  write(record: unknown): void {
    this.lines.push(JSON.stringify(record) ?? 'null');
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const data = Buffer.from(`${this.lines.join('\n')}\n`, 'utf8');
    this.lines.length = 0;
    const handle = this.handle ?? (await this.startPart());
    let written = 0;
    try {
      while (written < data.length) {
        const { bytesWritten } = await handle.write(data, written, data.length - written);
        written += bytesWritten;
      }
    } catch (error) {
      throw fileError('writing', this.currentPath(), error);
    }
    this.currentSize += data.length;
    if (this.currentSize >= this.rollSizeBytes) await this.endPart();
  }

  /** Commits every part, or with checkpointing only flushes: the final checkpoint commits. */
  async finish(): Promise<void> {
    await this.flush();
    if (this.context.checkpointing) return;
    await this.endPart();
    if (this.closedParts.length > 0) await this.fence.check('publish its parts');
    const parts = this.closedParts.splice(0);
    for (const { id } of parts) await renamePart(join(this.directory, inProgressName(id)), join(this.directory, committedName(id)));
    if (parts.length > 0) await syncDirectory(this.directory);
  }

  /** Closes the open part and turns every unsaved part into a pending transaction; empty parts are deleted. */
  async preCommit(_checkpointId: number): Promise<FileTransaction[]> {
    await this.flush();
    await this.endPart();
    const parts = this.closedParts.splice(0);
    const transactions: FileTransaction[] = [];
    for (const { id, size } of parts) {
      const path = join(this.directory, inProgressName(id));
      if (size === 0) {
        await unlink(path).catch((error: unknown) => {
          throw fileError('deleting', path, error);
        });
        continue;
      }
      const file = pendingName(id);
      await renamePart(path, join(this.directory, file));
      transactions.push({ file, committed: committedName(id), directory: resolve(this.directory) });
    }
    if (parts.length > 0) await syncDirectory(this.directory);
    return transactions;
  }

  /**
   * Renames pending files to their committed names. A transaction whose pending file is gone
   * but whose committed file exists was committed before; one with neither fails, since its
   * records would otherwise be lost silently. Throws, committing nothing, when a newer attempt of
   * the job has opened a writer in this writer's directory.
   */
  async commit(transactions: readonly FileTransaction[]): Promise<void> {
    if (transactions.length > 0) await this.fence.check('commit');
    const renamedIn = new Set<string>();
    for (const transaction of transactions) {
      const directory = transaction.directory ?? this.directory;
      if (await this.commitOne(transaction, directory)) renamedIn.add(directory);
    }
    for (const directory of renamedIn) await syncDirectory(directory);
  }

  /**
   * Commits `toCommit`, then deletes the in-progress and pending files of this sink operator that
   * belong to this subtask under the current parallelism (old subtask index modulo parallelism)
   * and are not in `keep`. Committed files and other operators' files are never touched.
   */
  async recover(toCommit: readonly FileTransaction[], keep: readonly FileTransaction[]): Promise<void> {
    await this.commit(toCommit);
    const kept = new Set(keep.map((transaction) => transaction.file));
    await this.deleteLeftovers((_part, name) => !kept.has(name));
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.lines.length = 0;
    await handle?.close();
  }

  /**
   * Deletes the hidden part files of this sink operator that belong to this subtask under the
   * current parallelism, were not written by this writer, and `select` picks.
   */
  private async deleteLeftovers(select: (part: HiddenPartName, name: string) => boolean): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if (isNotFound(error)) return;
      throw fileError('listing', this.directory, error);
    }
    const operator = operatorInName(this.context.operatorId);
    const { subtaskIndex, parallelism } = this.context;
    let removed = false;
    for (const name of names) {
      const part = parseHiddenPartName(name);
      if (part === undefined || part.operator !== operator || part.writerId === this.writerId) continue;
      if (part.subtaskIndex % parallelism !== subtaskIndex || !select(part, name)) continue;
      const path = join(this.directory, name);
      try {
        await unlink(path);
        removed = true;
      } catch (error) {
        if (!isNotFound(error)) throw fileError('deleting the leftover', path, error);
      }
    }
    if (removed) await syncDirectory(this.directory);
  }

  /** Renames one pending file in `directory`; returns whether it did (false: it was committed before). */
  private async commitOne(transaction: FileTransaction, directory: string): Promise<boolean> {
    const { file, committed } = transaction;
    if (basename(file) !== file || basename(committed) !== committed) {
      throw new Error(`file sink: invalid transaction ${JSON.stringify(transaction)}: names must be plain file names`);
    }
    try {
      await rename(join(directory, file), join(directory, committed));
      return true;
    } catch (error) {
      if (!isNotFound(error)) throw fileError('committing', join(directory, file), error);
    }
    if (await exists(join(directory, committed))) return false;
    throw new Error(
      `file sink: cannot commit "${committed}" in "${directory}": neither it nor its pending file "${file}" exists, so its records are lost`,
    );
  }

  private async startPart(): Promise<FileHandle> {
    const part = this.nextPart++;
    const path = join(this.directory, inProgressName(partFileId(this.context, this.writerId, part)));
    let handle: FileHandle;
    try {
      handle = await open(path, 'w');
    } catch (error) {
      throw fileError('creating', path, error);
    }
    this.handle = handle;
    this.currentPart = part;
    this.currentSize = 0;
    return handle;
  }

  /** Makes the current part durable and closes it; it waits for `finish` or `preCommit`. */
  private async endPart(): Promise<void> {
    const handle = this.handle;
    if (handle === undefined) return;
    this.handle = undefined;
    const path = this.currentPath();
    try {
      await handle.datasync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw fileError('syncing', path, error);
    }
    try {
      await handle.close();
    } catch (error) {
      throw fileError('closing', path, error);
    }
    this.closedParts.push({ id: partFileId(this.context, this.writerId, this.currentPart), size: this.currentSize });
  }

  /** The path of the part being written (or last written). */
  private currentPath(): string {
    return join(this.directory, inProgressName(partFileId(this.context, this.writerId, this.currentPart)));
  }
}

/**
 * An Error that names the file an operation failed on: `file sink: writing "PATH" failed: REASON`.
 * The OS error is its cause, and its `code` (ENOSPC, EACCES, ...) is kept.
 */
function fileError(action: string, path: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const wrapped = new Error(`file sink: ${action} "${path}" failed: ${reason}`, { cause: error });
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === undefined ? wrapped : Object.assign(wrapped, { code });
}

/** Renames a part file, naming both paths when it fails. */
async function renamePart(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    throw fileError(`renaming to "${to}"`, from, error);
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Error codes of platforms that cannot open or sync a directory; renames are then as durable as they get. */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF']);

/** Makes renames and deletions in a directory durable. */
async function syncDirectory(path: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}
