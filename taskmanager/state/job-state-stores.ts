/**
 * The state databases of the jobs on one TaskManager: one LevelDB per job, opened when the job's
 * first keyed operator needs it, shared by every keyed subtask of that job here, and closed when
 * the job is released.
 */
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { KeyGroupRange } from '../../common/key-groups.ts';
import type { InternalTimerService, KeyedStateBackend } from './keyed-state-backend.ts';
import { InternalTimerServiceImpl } from './internal-timer-service.ts';
import { LevelDbKeyedStateBackend } from './leveldb-keyed-state-backend.ts';
import { StateDb } from './state-db.ts';
import type { WriteBackCacheOptions } from './write-back-cache.ts';

/** What one keyed operator subtask asks for. */
export interface KeyedStateRequest {
  readonly jobId: string;
  readonly operatorId: string;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
}

/** A keyed operator subtask's backend and timers. */
export interface KeyedState {
  readonly backend: KeyedStateBackend;
  readonly timers: InternalTimerService;
}

/** Opens and closes the per-job state databases under `<dataDir>/state/`. */
export class JobStateStores {
  private readonly dbs = new Map<string, Promise<StateDb>>();

  constructor(
    private readonly dataDir: string,
    private readonly cache: WriteBackCacheOptions,
  ) {}

  /** Creates the backend and timers of one keyed operator subtask. */
  async keyedState(request: KeyedStateRequest): Promise<KeyedState> {
    const db = await this.dbFor(request.jobId);
    const backend = new LevelDbKeyedStateBackend({
      db,
      operatorId: request.operatorId,
      maxParallelism: request.maxParallelism,
      keyGroupRange: request.keyGroupRange,
      cache: this.cache,
    });
    return { backend, timers: new InternalTimerServiceImpl(backend) };
  }

  /** Closes and deletes a job's database (its state is not needed once the job is gone). */
  async release(jobId: string): Promise<void> {
    const db = this.dbs.get(jobId);
    this.dbs.delete(jobId);
    if (db) await (await db).close();
    await rm(this.dirOf(jobId), { recursive: true, force: true });
  }

  /** Closes every database. */
  async closeAll(): Promise<void> {
    const dbs = [...this.dbs.values()];
    this.dbs.clear();
    await Promise.all(dbs.map(async (db) => (await db).close()));
  }

  private dbFor(jobId: string): Promise<StateDb> {
    let db = this.dbs.get(jobId);
    if (!db) {
      db = StateDb.open(this.dirOf(jobId));
      this.dbs.set(jobId, db);
      db.catch(() => this.dbs.delete(jobId));
    }
    return db;
  }

  private dirOf(jobId: string): string {
    return join(this.dataDir, 'state', jobId);
  }
}
