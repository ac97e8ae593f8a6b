/**
 * Registered TaskManagers and their liveness. A TaskManager that misses heartbeats for the
 * timeout is declared lost; listeners (the slot pool, the job masters) react to that.
 */
import { invalidArgument } from '../../common/errors.ts';
import type { Logger } from '../../common/logging.ts';
import { DEFAULT_LIMITS } from '../config.ts';
import type { TaskManagerGateway, TaskManagerGatewayFactory } from '../gateway/taskmanager-gateway.ts';

/** One registered TaskManager. */
export interface RegisteredTaskManager {
  readonly id: string;
  readonly address: string;
  readonly slots: number;
  readonly metricsAddress: string;
  readonly gateway: TaskManagerGateway;
  readonly registeredAt: number;
  lastHeartbeat: number;
}

/** Told when TaskManagers come and go. */
export interface TaskManagerListener {
  onTaskManagerRegistered(tm: RegisteredTaskManager): void;
  onTaskManagerLost(tm: RegisteredTaskManager, reason: string): void;
}

/** Tracks TaskManagers by id. */
export class TaskManagerRegistry {
  private readonly taskManagers = new Map<string, RegisteredTaskManager>();
  private readonly listeners: TaskManagerListener[] = [];
  private monitor: NodeJS.Timeout | undefined;

  constructor(
    private readonly gateways: TaskManagerGatewayFactory,
    private readonly heartbeatTimeoutMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    /** Most slots one TaskManager may offer (the JobManager's `maxSlotsPerTaskManager`). */
    private readonly maxSlotsPerTaskManager: number = DEFAULT_LIMITS.maxSlotsPerTaskManager,
  ) {}

  /** Adds a listener. */
  subscribe(listener: TaskManagerListener): void {
    this.listeners.push(listener);
  }

  /** All registered TaskManagers. */
  get all(): RegisteredTaskManager[] {
    return [...this.taskManagers.values()];
  }

  /** Finds a TaskManager. */
  get(id: string): RegisteredTaskManager | undefined {
    return this.taskManagers.get(id);
  }

  /**
   * Registers (or re-registers) a TaskManager. A re-registration replaces the old one, which
   * counts as lost. Throws INVALID_ARGUMENT, before anything is allocated, for an empty id or
   * address or a slot count outside 1 to `maxSlotsPerTaskManager`.
   */
  register(spec: { id: string; address: string; slots: number; metricsAddress: string }): RegisteredTaskManager {
    if (!spec.id) throw invalidArgument('RegisterTaskManager: taskmanagerId is empty');
    if (!spec.address) throw invalidArgument(`RegisterTaskManager: address of TaskManager ${spec.id} is empty`);
    if (!Number.isInteger(spec.slots) || spec.slots < 1 || spec.slots > this.maxSlotsPerTaskManager) {
      throw invalidArgument(
        `RegisterTaskManager: slots of TaskManager ${spec.id} must be an integer from 1 to ${this.maxSlotsPerTaskManager} (the JobManager's maxSlotsPerTaskManager), got ${spec.slots}`,
      );
    }
    const previous = this.taskManagers.get(spec.id);
    if (previous) this.remove(previous, 'it registered again');
    const tm: RegisteredTaskManager = { ...spec, gateway: this.gateways(spec.address), registeredAt: this.now(), lastHeartbeat: this.now() };
    this.taskManagers.set(spec.id, tm);
    this.log.info({ tm: spec.id, address: spec.address, slots: spec.slots }, 'TaskManager registered');
    for (const l of this.listeners) l.onTaskManagerRegistered(tm);
    return tm;
  }

  /** Records a heartbeat; returns false for an unknown TaskManager. */
  heartbeat(id: string): boolean {
    const tm = this.taskManagers.get(id);
    if (!tm) return false;
    tm.lastHeartbeat = this.now();
    return true;
  }

  /** Declares TaskManagers lost whose last heartbeat is older than the timeout. */
  checkHeartbeats(): void {
    const now = this.now();
    for (const tm of this.all) {
      if (now - tm.lastHeartbeat > this.heartbeatTimeoutMs) {
        this.remove(tm, `TaskManager ${tm.id} (${tm.address}) heartbeat timed out after ${this.heartbeatTimeoutMs} ms`);
      }
    }
  }

  /** Checks heartbeats periodically. */
  startMonitor(intervalMs: number): void {
    this.monitor = setInterval(() => this.checkHeartbeats(), intervalMs);
    this.monitor.unref();
  }

  /** Stops monitoring and closes gateways. */
  close(): void {
    if (this.monitor) clearInterval(this.monitor);
    for (const tm of this.taskManagers.values()) tm.gateway.close();
    this.taskManagers.clear();
  }

  /**
   * Drops a TaskManager that cannot be reached (a deployment found its port closed), without
   * waiting for its heartbeats to time out. It registers again if it is alive after all.
   */
  markUnreachable(id: string, reason: string): void {
    const tm = this.taskManagers.get(id);
    if (tm) this.remove(tm, reason);
  }

  private remove(tm: RegisteredTaskManager, reason: string): void {
    this.taskManagers.delete(tm.id);
    tm.gateway.close();
    this.log.warn({ tm: tm.id, reason }, 'TaskManager lost');
    for (const l of this.listeners) l.onTaskManagerLost(tm, reason);
  }
}
