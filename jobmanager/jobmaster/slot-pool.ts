/**
 * The slots of all registered TaskManagers and who holds them. A job asks for as many slots as
 * its largest vertex has subtasks (slot sharing) and waits, up to a timeout, until that many are
 * free. Slots are spread over TaskManagers, most free slots first.
 */
import { resourceExhausted } from '../../common/errors.ts';
import type { RegisteredTaskManager, TaskManagerListener } from '../resourcemanager/taskmanager-registry.ts';

/** One slot of one TaskManager. */
export interface Slot {
  readonly taskManager: RegisteredTaskManager;
  readonly index: number;
  jobId: string | undefined;
}

interface PendingRequest {
  readonly jobId: string;
  readonly count: number;
  readonly resolve: (slots: Slot[]) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Allocates slots to jobs. */
export class SlotPool implements TaskManagerListener {
  private readonly slots = new Map<string, Slot[]>();
  private readonly pending: PendingRequest[] = [];

  /** Total slots offered. */
  get total(): number {
    let n = 0;
    for (const s of this.slots.values()) n += s.length;
    return n;
  }

  /** Slots nobody holds. */
  get available(): number {
    let n = 0;
    for (const list of this.slots.values()) for (const s of list) if (s.jobId === undefined) n++;
    return n;
  }

  /** Free slots per TaskManager id. */
  freeSlotsOf(taskManagerId: string): number {
    return (this.slots.get(taskManagerId) ?? []).filter((s) => s.jobId === undefined).length;
  }

  onTaskManagerRegistered(tm: RegisteredTaskManager): void {
    this.slots.set(tm.id, Array.from({ length: tm.slots }, (_, index) => ({ taskManager: tm, index, jobId: undefined })));
    this.serve();
  }

  onTaskManagerLost(tm: RegisteredTaskManager): void {
    this.slots.delete(tm.id);
  }

  /** Allocates `count` slots, waiting up to `timeoutMs` for them. */
  allocate(jobId: string, count: number, timeoutMs: number): Promise<Slot[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.pending.findIndex((p) => p.timer === timer);
        if (i >= 0) this.pending.splice(i, 1);
        reject(resourceExhausted(`no free slots: the job needs ${count} slots, ${this.available} of ${this.total} are free after waiting ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.push({ jobId, count, resolve, reject, timer });
      this.serve();
    });
  }

  /** Cancels a job's pending request. */
  cancelRequest(jobId: string, reason: Error): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i]!;
      if (p.jobId !== jobId) continue;
      clearTimeout(p.timer);
      this.pending.splice(i, 1);
      p.reject(reason);
    }
  }

  /** Returns every slot a job holds. */
  release(jobId: string): void {
    for (const list of this.slots.values()) for (const s of list) if (s.jobId === jobId) s.jobId = undefined;
    this.serve();
  }

  private serve(): void {
    while (this.pending.length > 0) {
      const request = this.pending[0]!;
      if (this.available < request.count) return;
      this.pending.shift();
      clearTimeout(request.timer);
      request.resolve(this.take(request.jobId, request.count));
    }
  }

  private take(jobId: string, count: number): Slot[] {
    const taken: Slot[] = [];
    while (taken.length < count) {
      let best: Slot[] | undefined;
      let bestFree = 0;
      for (const list of this.slots.values()) {
        const free = list.filter((s) => s.jobId === undefined).length;
        if (free > bestFree) {
          best = list;
          bestFree = free;
        }
      }
      const slot = best?.find((s) => s.jobId === undefined);
      if (!slot) break;
      slot.jobId = jobId;
      taken.push(slot);
    }
    return taken;
  }
}
