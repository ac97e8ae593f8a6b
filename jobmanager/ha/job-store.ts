/**
 * The JobManager's HA store: what it needs to resume its jobs after being killed (job graphs,
 * bundles, settings, latest completed checkpoint pointers), in its own LevelDB (classic-level).
 *
 * Key layout (UTF-8 keys; a job id never contains '/'):
 *   job/<id>/meta        JSON {jobId, state, submittedAt, parallelismOverride?, config}
 *   job/<id>/graph       raw bytes: the encoded JobGraph, opaque to the store
 *   job/<id>/bundle      raw bytes: the job's code bundle
 *   job/<id>/checkpoint  JSON {checkpointId, metadataPath}: the latest completed checkpoint
 *
 * Durability: every write is one LevelDB batch written with `sync: true` (fsync), so when a
 * promise resolves the change survives a SIGKILL of the JobManager, and a crash never leaves half
 * a job. Operations run one at a time in call order, so a read sees every write called before it.
 *
 * Terminal jobs: when a job reaches FINISHED, FAILED or CANCELED, `setJobState` keeps its `meta`
 * entry with the terminal state as a tombstone and deletes its graph, bundle and checkpoint pointer
 * in the same batch. A restarted JobManager therefore does not resume it (`listJobs` and `getJob`
 * skip it), can still tell how it ended (`getJobState`), and the large bundle does not stay on disk.
 * A tombstone also makes late updates harmless: a terminal state is final and a checkpoint that
 * completes after the job ended is ignored. `removeJob` deletes a job entirely, tombstone included.
 */
import { ClassicLevel } from 'classic-level';
import { isTerminalJobState, type JobState } from '../../common/job-state.ts';

/** Where the latest completed checkpoint of a job is: enough to restore the job from it. */
export interface CheckpointPointer {
  readonly checkpointId: number;
  /** Path of the checkpoint's `_metadata` file. */
  readonly metadataPath: string;
}

/** What the JobManager stores about a submitted job. */
export interface StoredJob {
  /** The job id; must not contain '/'. */
  readonly jobId: string;
  /** The encoded JobGraph, opaque to the store. */
  readonly graph: Uint8Array;
  /** The job's code bundle. */
  readonly bundle: Uint8Array;
  /** The parallelism the job runs with when it differs from the graph's (after a rescale). */
  readonly parallelismOverride?: number;
  /** Submission time, ms since the epoch. */
  readonly submittedAt: number;
  /** Checkpoint and restart settings; stored as JSON, so values must be JSON-serializable. */
  readonly config: Record<string, unknown>;
}

/** A stored job without its graph and bundle, as `listJobs` returns it. */
export interface StoredJobSummary {
  readonly jobId: string;
  /** The last state recorded with `setJobState` ('CREATED' after `putJob`). */
  readonly state: JobState;
  readonly submittedAt: number;
  readonly parallelismOverride?: number;
  readonly config: Record<string, unknown>;
  /** The checkpoint to resume from; undefined before the first completed checkpoint. */
  readonly latestCheckpoint: CheckpointPointer | undefined;
}

/** Everything stored about a job that can be resumed, as `getJob` returns it. */
export interface StoredJobRecord extends StoredJob, StoredJobSummary {}

/** Every job state; a Record so that the compiler flags a state missing here. */
const JOB_STATES: Record<JobState, true> = {
  CREATED: true,
  RUNNING: true,
  FAILING: true,
  RESTARTING: true,
  CANCELLING: true,
  CANCELED: true,
  FINISHED: true,
  FAILED: true,
};

/** The `meta` entry of a job. */
interface JobMeta {
  jobId: string;
  state: JobState;
  submittedAt: number;
  parallelismOverride?: number;
  config: Record<string, unknown>;
  /** JobManager lives that resumed the job so far (absent: 0). */
  lives?: number;
}

type Level = ClassicLevel<string, Uint8Array>;

const WRITE = { sync: true } as const;
const PREFIX = 'job/';
/** The first key after every `job/...` key ('0' follows '/'). */
const PREFIX_END = 'job0';

const metaKey = (jobId: string): string => `${PREFIX}${jobId}/meta`;
const graphKey = (jobId: string): string => `${PREFIX}${jobId}/graph`;
const bundleKey = (jobId: string): string => `${PREFIX}${jobId}/bundle`;
const checkpointKey = (jobId: string): string => `${PREFIX}${jobId}/checkpoint`;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The JobManager's durable record of its jobs. Opened at start, closed at stop. */
export class JobStore {
  /** The end of the chain of queued operations; each operation starts when the previous settles. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly level: Level,
    /** The database directory. */
    readonly location: string,
  ) {}

  /** Opens (creating if needed) the store at `dir`. */
  static async open(dir: string): Promise<JobStore> {
    const level: Level = new ClassicLevel<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await level.open();
    return new JobStore(level, dir);
  }

  /** Waits for the queued operations, then closes the database. */
  async close(): Promise<void> {
    await this.tail.catch(() => undefined);
    await this.level.close();
  }

  /** Stores a new job in state CREATED. Throws if the id is already stored (tombstones included). */
  async putJob(record: StoredJob): Promise<void> {
    checkJobId(record.jobId);
    return this.serial(async () => {
      const { jobId } = record;
      if ((await this.level.get(metaKey(jobId))) !== undefined) throw new Error(`job ${jobId} is already stored`);
      const meta: JobMeta = { jobId, state: 'CREATED', submittedAt: record.submittedAt, config: record.config };
      if (record.parallelismOverride !== undefined) meta.parallelismOverride = record.parallelismOverride;
      await this.level.batch(
        [
          { type: 'put', key: metaKey(jobId), value: toJson(meta) },
          { type: 'put', key: graphKey(jobId), value: record.graph },
          { type: 'put', key: bundleKey(jobId), value: record.bundle },
        ],
        WRITE,
      );
    });
  }

  /**
   * Records the latest completed checkpoint of a job. Returns false, storing nothing, when the job
   * has ended or the pointer is older than the stored one (checkpoint ids only grow). Throws for an
   * unknown job.
   */
  async setLatestCheckpoint(jobId: string, pointer: CheckpointPointer): Promise<boolean> {
    checkJobId(jobId);
    if (!Number.isSafeInteger(pointer.checkpointId) || pointer.checkpointId < 0) {
      throw new RangeError(`checkpoint id must be a whole number >= 0, got ${pointer.checkpointId}`);
    }
    if (typeof pointer.metadataPath !== 'string' || pointer.metadataPath === '') throw new RangeError('checkpoint metadata path is empty');
    return this.serial(async () => {
      const [metaBytes, pointerBytes] = await this.level.getMany([metaKey(jobId), checkpointKey(jobId)]);
      const meta = this.requireMeta(jobId, metaBytes);
      if (isTerminalJobState(meta.state)) return false;
      const current = pointerBytes === undefined ? undefined : parsePointer(pointerBytes, checkpointKey(jobId));
      if (current && current.checkpointId > pointer.checkpointId) return false;
      const stored: CheckpointPointer = { checkpointId: pointer.checkpointId, metadataPath: pointer.metadataPath };
      await this.level.put(checkpointKey(jobId), toJson(stored), WRITE);
      return true;
    });
  }

  /**
   * Records the state of a job. A terminal state turns the job into a tombstone (see the module
   * comment). Returns false, storing nothing, when the job has already ended. Throws for an unknown job.
   */
  async setJobState(jobId: string, state: JobState): Promise<boolean> {
    checkJobId(jobId);
    if (!Object.hasOwn(JOB_STATES, state)) throw new RangeError(`unknown job state ${JSON.stringify(state)}`);
    return this.serial(async () => {
      const meta = this.requireMeta(jobId, await this.level.get(metaKey(jobId)));
      if (isTerminalJobState(meta.state)) return false;
      const updated: JobMeta = { ...meta, state };
      if (isTerminalJobState(state)) {
        await this.level.batch(
          [
            { type: 'put', key: metaKey(jobId), value: toJson(updated) },
            { type: 'del', key: graphKey(jobId) },
            { type: 'del', key: bundleKey(jobId) },
            { type: 'del', key: checkpointKey(jobId) },
          ],
          WRITE,
        );
      } else {
        await this.level.put(metaKey(jobId), toJson(updated), WRITE);
      }
      return true;
    });
  }

  /**
   * Counts one more JobManager life of a job and returns its number (1 for the first resume), so
   * that each life can give its executions ids no earlier life used. Throws for an unknown job.
   */
  async nextLife(jobId: string): Promise<number> {
    checkJobId(jobId);
    return this.serial(async () => {
      const meta = this.requireMeta(jobId, await this.level.get(metaKey(jobId)));
      const lives = (meta.lives ?? 0) + 1;
      await this.level.put(metaKey(jobId), toJson({ ...meta, lives }), WRITE);
      return lives;
    });
  }

  /** Deletes everything stored about a job, tombstone included. Unknown jobs are ignored. */
  async removeJob(jobId: string): Promise<void> {
    checkJobId(jobId);
    return this.serial(() =>
      this.level.batch(
        [metaKey, graphKey, bundleKey, checkpointKey].map((key) => ({ type: 'del' as const, key: key(jobId) })),
        WRITE,
      ),
    );
  }

  /** The jobs to resume: every job not in a terminal state, oldest submission first. */
  async listJobs(): Promise<StoredJobSummary[]> {
    return this.serial(async () => {
      const keys = await this.level.keys({ gt: PREFIX, lt: PREFIX_END }).all();
      const metaKeys = keys.filter((key) => key.endsWith('/meta'));
      const metas = await this.level.getMany(metaKeys);
      const live: JobMeta[] = [];
      metas.forEach((bytes, i) => {
        const meta = bytes === undefined ? undefined : parseMeta(bytes, metaKeys[i] ?? '');
        if (meta && !isTerminalJobState(meta.state)) live.push(meta);
      });
      live.sort((a, b) => a.submittedAt - b.submittedAt || (a.jobId < b.jobId ? -1 : 1));
      const pointers = await this.level.getMany(live.map((meta) => checkpointKey(meta.jobId)));
      return live.map((meta, i) => summaryOf(meta, pointers[i]));
    });
  }

  /** Everything stored about a job that can be resumed; undefined for unknown and terminal jobs. */
  async getJob(jobId: string): Promise<StoredJobRecord | undefined> {
    checkJobId(jobId);
    return this.serial(async () => {
      const [metaBytes, graph, bundle, pointerBytes] = await this.level.getMany([metaKey(jobId), graphKey(jobId), bundleKey(jobId), checkpointKey(jobId)]);
      if (metaBytes === undefined) return undefined;
      const meta = parseMeta(metaBytes, metaKey(jobId));
      if (isTerminalJobState(meta.state)) return undefined;
      if (graph === undefined || bundle === undefined) throw new Error(`job store is corrupt: job ${jobId} has no ${graph === undefined ? 'graph' : 'bundle'}`);
      return { ...summaryOf(meta, pointerBytes), graph: asView(graph), bundle: asView(bundle) };
    });
  }

  /** The recorded state of a job, terminal ones included; undefined for unknown (or removed) jobs. */
  async getJobState(jobId: string): Promise<JobState | undefined> {
    checkJobId(jobId);
    return this.serial(async () => {
      const bytes = await this.level.get(metaKey(jobId));
      return bytes === undefined ? undefined : parseMeta(bytes, metaKey(jobId)).state;
    });
  }

  /** Runs `operation` after every operation called before it has settled. */
  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.tail.then(operation, operation);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private requireMeta(jobId: string, bytes: Uint8Array | undefined): JobMeta {
    if (bytes === undefined) throw new Error(`job ${jobId} is not in the job store`);
    return parseMeta(bytes, metaKey(jobId));
  }
}

function checkJobId(jobId: string): void {
  if (typeof jobId !== 'string' || jobId === '' || jobId.includes('/')) throw new RangeError(`invalid job id ${JSON.stringify(jobId)}`);
}

function toJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** A plain Uint8Array over the same memory (classic-level may hand out Buffers). */
function asView(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function corrupt(key: string, why: string): Error {
  return new Error(`job store is corrupt: ${key} ${why}`);
}

function parseJson(bytes: Uint8Array, key: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    throw corrupt(key, 'is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corrupt(key, 'is not a JSON object');
  return value as Record<string, unknown>;
}

function parseMeta(bytes: Uint8Array, key: string): JobMeta {
  const v = parseJson(bytes, key);
  const { jobId, state, submittedAt, parallelismOverride, config } = v;
  if (typeof jobId !== 'string') throw corrupt(key, 'has no job id');
  if (typeof state !== 'string' || !Object.hasOwn(JOB_STATES, state)) throw corrupt(key, `has an unknown state ${JSON.stringify(state)}`);
  if (typeof submittedAt !== 'number') throw corrupt(key, 'has no submission time');
  if (parallelismOverride !== undefined && typeof parallelismOverride !== 'number') throw corrupt(key, 'has a non-numeric parallelism override');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw corrupt(key, 'has no config object');
  const meta: JobMeta = { jobId, state: state as JobState, submittedAt, config: config as Record<string, unknown> };
  if (parallelismOverride !== undefined) meta.parallelismOverride = parallelismOverride;
  return meta;
}

function parsePointer(bytes: Uint8Array, key: string): CheckpointPointer {
  const { checkpointId, metadataPath } = parseJson(bytes, key);
  if (typeof checkpointId !== 'number' || typeof metadataPath !== 'string') throw corrupt(key, 'is not a checkpoint pointer');
  return { checkpointId, metadataPath };
}

function summaryOf(meta: JobMeta, pointerBytes: Uint8Array | undefined): StoredJobSummary {
  const summary: StoredJobSummary = {
    jobId: meta.jobId,
    state: meta.state,
    submittedAt: meta.submittedAt,
    config: meta.config,
    latestCheckpoint: pointerBytes === undefined ? undefined : parsePointer(pointerBytes, checkpointKey(meta.jobId)),
  };
  return meta.parallelismOverride === undefined ? summary : { ...summary, parallelismOverride: meta.parallelismOverride };
}
