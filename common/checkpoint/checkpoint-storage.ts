/**
 * Where checkpoints and savepoints live on disk, and how their files are written safely.
 *
 * ```
 * <checkpoint-dir>/<jobId>/           the job's storage root
 *   shared/                           keyed-state files (full and delta), shared across checkpoints
 *   chk-<id>/_metadata                one per completed checkpoint (a CheckpointMetadata message)
 * <savepoint-dir>/                    a savepoint: self-contained root
 *   _metadata
 *   state/...                         its keyed-state files
 * ```
 *
 * A checkpoint exists once its `_metadata` does: state files are written first, the metadata
 * last, and every file is written atomically (temp file, fsync, rename, fsync of the directory),
 * so a crash leaves either no checkpoint or a complete one. The paths of state files in the
 * metadata are relative to the storage root (`metadata.root`, itself relative to the directory of
 * `_metadata`), so a checkpoint or savepoint directory can be moved as a whole.
 *
 * A `_metadata` file is the magic bytes "SLCM", a format version byte, then the proto encoding of
 * `sluice.checkpoint.CheckpointMetadata`, the message type acknowledgements carry the states in.
 * It is read back with validation (checkpoint-validation.ts), so that a restore never starts from
 * a corrupt or foreign file; the JSON metadata of earlier versions is refused with an error that
 * says so.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import type { CheckpointMetadata__Output } from '../../proto/generated/sluice/checkpoint/CheckpointMetadata.ts';
import { checkpointMetadataCodec } from '../rpc/message-codec.ts';
import type { CheckpointMetadata } from './checkpoint-types.ts';
import { metadataProblem, statePathProblem } from './checkpoint-validation.ts';

/** Name of the metadata file of a checkpoint or savepoint. */
export const METADATA_FILE = '_metadata';

/** Sub-directory of a job's storage root holding the keyed-state files of its checkpoints. */
export const SHARED_STATE_DIR = 'shared';

/** Sub-directory of a savepoint holding its keyed-state files. */
export const SAVEPOINT_STATE_DIR = 'state';

const CHECKPOINT_DIR_PATTERN = /^chk-(\d+)$/;

/** The first bytes of a `_metadata` file. */
const METADATA_MAGIC = Buffer.from('SLCM', 'latin1');

/** The format version of `_metadata` files this code writes and reads. */
const METADATA_VERSION = 1;

/** The first byte of the JSON `_metadata` that Sluice wrote before the binary format. */
const JSON_OBJECT_START = 0x7b;

/** The storage root of a job's checkpoints: `<checkpointDir>/<jobId>`. */
export function jobCheckpointRoot(checkpointDir: string, jobId: string): string {
  if (jobId === '' || jobId.includes('/') || jobId.includes('\\') || jobId === '.' || jobId === '..') {
    throw new Error(`job id ${JSON.stringify(jobId)} cannot name a checkpoint directory`);
  }
  return join(resolve(checkpointDir), jobId);
}

/** The directory name of checkpoint `id` under the job's root: `chk-<id>`. */
export function checkpointDirName(id: number): string {
  if (!Number.isSafeInteger(id) || id < 0) throw new Error(`checkpoint id must be a non-negative integer; got ${String(id)}`);
  return `chk-${id}`;
}

/** The `_metadata` file of a checkpoint or savepoint directory. */
export function metadataPath(dir: string): string {
  return join(dir, METADATA_FILE);
}

/**
 * A file being written atomically: bytes go to a temp file next to the target, which replaces
 * the target only on `commit`.
 */
export interface AtomicFile {
  /** Appends bytes. */
  write(data: Uint8Array): Promise<void>;
  /** Fsyncs, renames over the target and fsyncs the directory; returns the file size. */
  commit(): Promise<number>;
  /** Closes and removes the temp file; the target is untouched. Safe to call after a failure. */
  abort(): Promise<void>;
}

/**
 * Starts an atomic write of `path` (its directory must exist): a temp file
 * `.<name>.<random>.tmp` in the same directory, so that the final rename stays within one file
 * system. A crash mid-write leaves the old file (or none) and a stray temp file, never a torn one.
 */
export async function createAtomicFile(path: string): Promise<AtomicFile> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  let size = 0;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(data) {
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
      size += data.length;
    },
    async commit() {
      try {
        await handle.sync();
        await close();
        await rename(temp, path);
      } catch (error) {
        await close().catch(() => undefined);
        await rm(temp, { force: true }).catch(() => undefined);
        throw error;
      }
      await syncDir(dir);
      return size;
    },
    async abort() {
      await close().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}

/** Writes a whole file atomically (see `createAtomicFile`); the directory must exist. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const file = await createAtomicFile(path);
  try {
    await file.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  } catch (error) {
    await file.abort().catch(() => undefined);
    throw error;
  }
  await file.commit();
}

/** Fsyncs a directory, so that a rename in it survives a crash; a no-op where unsupported. */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

/** Writes `<dir>/_metadata` atomically, creating `dir` if needed. */
export async function writeMetadata(dir: string, metadata: CheckpointMetadata): Promise<void> {
  await mkdir(dir, { recursive: true });
  const body = checkpointMetadataCodec.encode(metadata);
  await writeFileAtomic(metadataPath(dir), Buffer.concat([METADATA_MAGIC, Uint8Array.of(METADATA_VERSION), body]));
}

/** A metadata file read back, with where its state files are. */
export interface ReadMetadata {
  readonly metadata: CheckpointMetadata;
  /** Absolute path of the `_metadata` file. */
  readonly metadataFile: string;
  /** Absolute storage root the state files' paths are relative to. */
  readonly root: string;
}

/**
 * Reads a checkpoint's or savepoint's metadata, given its `_metadata` file or the directory
 * holding it. Throws an error naming the file when it is missing, foreign or not valid metadata.
 */
export async function readMetadata(pathOrDir: string): Promise<ReadMetadata> {
  const given = resolve(pathOrDir);
  const metadataFile = basename(given) === METADATA_FILE ? given : metadataPath(given);
  let bytes: Buffer;
  try {
    bytes = await readFile(metadataFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new Error(`no checkpoint metadata at ${metadataFile}: the checkpoint or savepoint does not exist or is incomplete`);
    }
    throw new Error(`cannot read checkpoint metadata ${metadataFile}: ${(error as Error).message}`);
  }
  const header = METADATA_MAGIC.length + 1;
  if (bytes[0] === JSON_OBJECT_START) {
    throw new Error(`${metadataFile} is JSON checkpoint metadata of an earlier Sluice, which this version cannot restore from`);
  }
  if (bytes.length < header || !bytes.subarray(0, METADATA_MAGIC.length).equals(METADATA_MAGIC)) {
    throw new Error(`${metadataFile} is not Sluice checkpoint metadata (it does not start with "${METADATA_MAGIC.toString('latin1')}")`);
  }
  const version = bytes[METADATA_MAGIC.length];
  if (version !== METADATA_VERSION) throw new Error(`checkpoint metadata ${metadataFile} has the unsupported format version ${String(version)}`);
  let decoded: CheckpointMetadata__Output;
  try {
    decoded = checkpointMetadataCodec.decode(bytes.subarray(header));
  } catch (error) {
    throw new Error(`checkpoint metadata ${metadataFile} is corrupt: ${(error as Error).message}`);
  }
  const problem = metadataProblem(decoded);
  if (problem !== undefined) throw new Error(`checkpoint metadata ${metadataFile} is corrupt: ${problem}`);
  const metadata = decoded as CheckpointMetadata;
  return { metadata, metadataFile, root: resolve(dirname(metadataFile), metadata.root) };
}

/**
 * The absolute path of a state file, given its storage root and its path relative to it.
 * Rejects paths that leave the root (absolute ones, or `..` segments reaching above it).
 */
export function resolveStatePath(root: string, relPath: string): string {
  const problem = statePathProblem(relPath);
  if (problem !== undefined) throw new Error(`${problem} ${root}`);
  return resolve(root, normalize(relPath));
}

/**
 * The latest checkpoint under a job's storage root: the highest `chk-<id>` holding readable
 * metadata, or undefined when there is none. Directories of checkpoints that never completed
 * (no `_metadata`, a corrupt one) and stray files are skipped.
 */
export async function latestCheckpointIn(jobRoot: string): Promise<ReadMetadata | undefined> {
  let names: string[];
  try {
    names = await readdir(jobRoot);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const ids = names
    .map((name) => CHECKPOINT_DIR_PATTERN.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .filter(Number.isSafeInteger)
    .sort((a, b) => b - a);
  for (const id of ids) {
    try {
      return await readMetadata(join(jobRoot, checkpointDirName(id)));
    } catch {
      continue;
    }
  }
  return undefined;
}

/** The relative paths of every state file a checkpoint references (for clean-up of shared files). */
export function filesReferencedBy(metadata: CheckpointMetadata): Set<string> {
  const files = new Set<string>();
  for (const operator of metadata.operators) {
    for (const subtask of operator.subtasks) for (const file of subtask.keyed?.files ?? []) files.add(file.path);
  }
  return files;
}
