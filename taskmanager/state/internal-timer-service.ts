/**
 * Event-time and processing-time timers of one operator subtask. Each time domain keeps an
 * in-memory min-heap (timestamp, then registration order) and an index from (timestamp,
 * namespace, key) to the live timer (nested maps, so that a lookup builds no string), which makes registration idempotent and deletion O(1): a deleted
 * timer is only marked, and skipped when it reaches the top of the heap (the heap is rebuilt when
 * such leftovers outnumber live timers).
 *
 * Timers are kept in state, too: each is an entry of a reserved state of the operator (one per
 * domain) whose user key is the timestamp, written through the backend's write-back cache. The
 * database is read for them only by `restore`: after `open` or `restore` it holds exactly the
 * timers the maps hold.
 */
import type { KeyValue } from '../../common/key-groups.ts';
import type {
  InternalTimer,
  InternalTimerService,
  TimerCallback,
} from './keyed-state-backend.ts';
import { RESERVED_STATE_NAME_PREFIX, type LevelDbKeyedStateBackend } from './leveldb-keyed-state-backend.ts';
import { decodeStateKey, keyId, type DecodedStateKey, type KeyId } from './state-key-layout.ts';
import { TimerHeap } from './timer-heap.ts';
import type { CachedState } from './write-back-cache.ts';

/** A registered timer, with what the heap, the dedup map and the state entry need. */
class Timer implements InternalTimer {
  deleted = false;

  constructor(
    readonly timestamp: number,
    readonly key: KeyValue,
    readonly namespace: string,
    readonly keyGroup: number,
    readonly keyId: KeyId,
    readonly seq: number,
  ) {}
}

/**
 * Live timers by timestamp, then namespace, then key id. The (timestamp, namespace) used last is
 * remembered: a window operator registers the same window's timer for run after run of records.
 */
class TimerIndex {
  private readonly byTime = new Map<number, Map<string, Map<KeyId, Timer>>>();
  private lastTime = Number.NaN;
  private lastNamespace: string | undefined = undefined;
  private lastByKey: Map<KeyId, Timer> | undefined = undefined;
  size = 0;

  get(timestamp: number, namespace: string, keyId: KeyId): Timer | undefined {
    if (timestamp === this.lastTime && namespace === this.lastNamespace) return this.lastByKey!.get(keyId);
    return this.byTime.get(timestamp)?.get(namespace)?.get(keyId);
  }

  add(timer: Timer): void {
    this.slot(timer.timestamp, timer.namespace).set(timer.keyId, timer);
    this.size++;
  }

  /** The key → timer map of a timestamp and namespace, created on first use and remembered. */
  private slot(timestamp: number, namespace: string): Map<KeyId, Timer> {
    if (timestamp === this.lastTime && namespace === this.lastNamespace) return this.lastByKey!;
    let byNamespace = this.byTime.get(timestamp);
    if (byNamespace === undefined) {
      byNamespace = new Map();
      this.byTime.set(timestamp, byNamespace);
    }
    let byKey = byNamespace.get(namespace);
    if (byKey === undefined) {
      byKey = new Map();
      byNamespace.set(namespace, byKey);
    }
    this.lastTime = timestamp;
    this.lastNamespace = namespace;
    this.lastByKey = byKey;
    return byKey;
  }

  delete(timer: Timer): void {
    const byNamespace = this.byTime.get(timer.timestamp);
    const byKey = byNamespace?.get(timer.namespace);
    if (!byNamespace || !byKey?.delete(timer.keyId)) return;
    this.size--;
    if (byKey.size === 0) {
      byNamespace.delete(timer.namespace);
      if (byNamespace.size === 0) this.byTime.delete(timer.timestamp);
      if (byKey === this.lastByKey) this.forgetLast();
    }
  }

  *values(): IterableIterator<Timer> {
    for (const byNamespace of this.byTime.values()) for (const byKey of byNamespace.values()) yield* byKey.values();
  }

  clear(): void {
    this.byTime.clear();
    this.size = 0;
    this.forgetLast();
  }

  private forgetLast(): void {
    this.lastTime = Number.NaN;
    this.lastNamespace = undefined;
    this.lastByKey = undefined;
  }
}

/** Leftover deleted timers tolerated in a heap before it is rebuilt (and at most as many as live ones). */
const MIN_LEFTOVERS_BEFORE_REBUILD = 1024;

/** The timers of one time domain. */
class TimerQueue {
  private readonly heap = new TimerHeap<Timer>();
  private readonly live = new TimerIndex();
  private leftovers = 0;
  private seq = 0;
  readonly state: CachedState;

  constructor(
    private readonly backend: LevelDbKeyedStateBackend,
    stateId: number,
  ) {
    this.state = {
      id: stateId,
      withTtl: false,
      toPlain: (value) => value,
      fromPlain: (plain) => plain,
    };
  }

  get size(): number {
    return this.live.size;
  }

  register(namespace: string, time: number): void {
    const timestamp = checkTime(time);
    const backend = this.backend;
    const key = backend.requiredKey;
    const keyId = backend.currentKeyId;
    if (this.live.get(timestamp, namespace, keyId) !== undefined) return;
    const timer = new Timer(timestamp, key, namespace, backend.currentKeyGroup, keyId, this.seq++);
    this.live.add(timer);
    this.heap.push(timer);
    backend.cache.writeBlind(this.state, timer.keyGroup, key, keyId, namespace, timestamp, true, 0, false);
  }

  delete(namespace: string, time: number): void {
    const timestamp = checkTime(time);
    const backend = this.backend;
    const timer = this.live.get(timestamp, namespace, backend.currentKeyId);
    if (timer === undefined) return;
    this.remove(timer);
    timer.deleted = true;
    this.leftovers++;
    if (this.leftovers >= MIN_LEFTOVERS_BEFORE_REBUILD && this.leftovers > this.live.size) {
      this.heap.rebuild([...this.live.values()]);
      this.leftovers = 0;
    }
  }

  /** Removes a live timer from the map and from state. */
  private remove(timer: Timer): void {
    this.live.delete(timer);
    const cache = this.backend.cache;
    cache.writeBlind(this.state, timer.keyGroup, timer.key, timer.keyId, timer.namespace, timer.timestamp, undefined, 0, true);
  }

  /** The earliest live timer's timestamp, dropping deleted ones from the top. */
  peek(): number | undefined {
    for (;;) {
      const top = this.heap.peek();
      if (top === undefined || !top.deleted) return top?.timestamp;
      this.heap.pop();
      this.leftovers--;
    }
  }

  /** Fires every live timer at or before `limit` in order, including those callbacks register. */
  fire(limit: number, onTimer: TimerCallback): void {
    const heap = this.heap;
    for (;;) {
      const top = heap.peek();
      if (top === undefined || top.timestamp > limit) return;
      heap.pop();
      if (top.deleted) {
        this.leftovers--;
        continue;
      }
      this.remove(top);
      this.backend.setCurrentKeyUnchecked(top.key, top.keyGroup, top.keyId);
      onTimer(top);
    }
  }

  /** Adds a timer read from state, without writing it back. */
  restoreTimer(stored: DecodedStateKey): void {
    const { keyGroup, key, namespace, userKey: timestamp } = stored;
    if (timestamp === undefined) throw new Error(`a stored timer of key group ${keyGroup} has no timestamp`);
    const id = keyId(key);
    if (this.live.get(timestamp, namespace, id) !== undefined) return;
    const timer = new Timer(timestamp, key, namespace, keyGroup, id, this.seq++);
    this.live.add(timer);
    this.heap.push(timer);
  }

  /** Forgets every timer (the state is cleared by the caller). */
  reset(): void {
    this.live.clear();
    this.heap.rebuild([]);
    this.leftovers = 0;
  }
}

/** Rejects NaN (it has no place in timestamp order) and normalizes -0. */
function checkTime(time: number): number {
  if (typeof time !== 'number' || Number.isNaN(time)) throw new TypeError(`timer time must be a number; got ${String(time)}`);
  return time + 0;
}

/** See the module comment. */
export class InternalTimerServiceImpl implements InternalTimerService {
  private readonly eventTime: TimerQueue;
  private readonly processingTime: TimerQueue;
  private watermark = Number.NEGATIVE_INFINITY;

  constructor(private readonly backend: LevelDbKeyedStateBackend) {
    const { db, operatorId } = backend;
    this.eventTime = new TimerQueue(backend, db.stateId(operatorId, `${RESERVED_STATE_NAME_PREFIX}timers/event-time`));
    this.processingTime = new TimerQueue(backend, db.stateId(operatorId, `${RESERVED_STATE_NAME_PREFIX}timers/processing-time`));
  }

  /** Drops the operator's stored timers in its key-group range and forgets the in-memory ones. */
  async open(): Promise<void> {
    await this.backend.clearStates([this.eventTime.state.id, this.processingTime.state.id]);
    this.eventTime.reset();
    this.processingTime.reset();
    this.watermark = Number.NEGATIVE_INFINITY;
  }

  /**
   * Reloads the timers from the operator's timer states in the backend's key-group range,
   * instead of `open`: the sequence is `backend.open()`, `backend.restore(sources)`,
   * `timers.restore()`. The watermark starts over at -Infinity; timers of equal timestamps fire
   * in key order rather than in their original registration order.
   */
  async restore(): Promise<void> {
    await this.backend.flush();
    this.watermark = Number.NEGATIVE_INFINITY;
    const { db, keyGroupRange } = this.backend;
    for (const queue of [this.eventTime, this.processingTime]) {
      queue.reset();
      for await (const keys of db.scanKeys([queue.state.id], keyGroupRange)) for (const key of keys) queue.restoreTimer(decodeStateKey(key));
    }
  }

  get currentWatermark(): number {
    return this.watermark;
  }

  registerEventTimeTimer(namespace: string, time: number): void {
    this.eventTime.register(namespace, time);
  }

  deleteEventTimeTimer(namespace: string, time: number): void {
    this.eventTime.delete(namespace, time);
  }

  registerProcessingTimeTimer(namespace: string, time: number): void {
    this.processingTime.register(namespace, time);
  }

  deleteProcessingTimeTimer(namespace: string, time: number): void {
    this.processingTime.delete(namespace, time);
  }

  advanceWatermark(watermark: number, onTimer: TimerCallback): void {
    this.watermark = watermark;
    this.eventTime.fire(watermark, onTimer);
  }

  nextProcessingTime(): number | undefined {
    return this.processingTime.peek();
  }

  fireProcessingTimers(now: number, onTimer: TimerCallback): void {
    this.processingTime.fire(now, onTimer);
  }

  get size(): { readonly eventTime: number; readonly processingTime: number } {
    return { eventTime: this.eventTime.size, processingTime: this.processingTime.size };
  }
}
