/**
 * The async I/O operator (Flink's AsyncWaitOperator): calls an AsyncFunction per record with up to
 * `capacity` requests in flight and emits the results, with the input record's timestamp, in input
 * order or as they complete (never across a watermark).
 *
 * Threading: a call's promise only records its outcome on the request and posts a mail; the mail
 * applies it (emits, retries, fails) in the task's thread of control. Timeouts and retries are
 * processing-time timers, delivered as mail too. The task awaits `finish` without running mail, so
 * `finish` applies outcomes and fires due timers itself: while the task awaits it nothing else runs
 * in the task, which makes that as safe as running the mail. Every outcome and timer takes effect
 * once, whichever way reaches it first, so mail that still runs later does nothing.
 */
import type { AsyncFunction, AsyncWaitSpec } from '../../client/runtime.ts';
import { deferred, type Deferred } from '../../common/async.ts';
import { errorMessage } from '../../common/errors.ts';
import { NO_TIMESTAMP } from '../../common/time.ts';
import { keyId } from '../state/state-key-layout.ts';
import { AbstractStreamOperator, type UserOperatorSetup } from './abstract-stream-operator.ts';
import type { OperatorStateSnapshot, RestoredOperatorState } from './stream-operator.ts';

/** Operator state name of the in-flight inputs. */
const IN_FLIGHT_STATE = 'in-flight';
import { AsyncRequestFailedError, AsyncTimeoutError } from './async/async-errors.ts';
import { AsyncRequest, resultValues, type RequestResult, type Settlement } from './async/async-request.ts';
import { OrderedResultQueue, UnorderedResultQueue, type AsyncResultQueue } from './async/async-result-queue.ts';
import { Fifo } from './async/fifo.ts';
import { KeyLanes } from './async/key-lanes.ts';
import { RequestTimers } from './async/request-timers.ts';
import { retryBackoffMs } from './async/retry-backoff.ts';
import { WakeUp } from './async/wake-up.ts';

/** Longest wall-clock sleep of `finish` between checks of the processing-time clock. */
const FINISH_POLL_MS = 1000;

/** A record, or a watermark behind buffered records, that arrived while the operator was at capacity. */
type Buffered = { readonly value: unknown; readonly timestamp: number } | { readonly watermark: number };

/** Runs an AsyncFunction with bounded concurrency, timeouts, retries and ordered or unordered output. */
export class AsyncWaitOperator extends AbstractStreamOperator {
  private readonly queue: AsyncResultQueue<AsyncRequest>;
  /** Requests whose results have not left yet, in input order. */
  private readonly live = new Set<AsyncRequest>();
  /** What arrived while at capacity (the rest of the task's current batch), in arrival order. */
  private readonly overflow = new Fifo<Buffered>();
  private readonly lanes: KeyLanes<AsyncRequest> | undefined;
  private readonly requestTimers: RequestTimers;
  private readonly progress = new WakeUp();
  private unblocked: Deferred<void> | undefined;
  /** Inputs handed to `restoreInFlight` before `open`. */
  private restored: { value: unknown; timestamp: number }[] = [];
  private opened = false;
  private closed = false;

  constructor(
    setup: UserOperatorSetup,
    private readonly fn: AsyncFunction<unknown, unknown>,
    private readonly spec: AsyncWaitSpec,
  ) {
    super(setup, [fn]);
    this.queue = spec.mode === 'ordered' ? new OrderedResultQueue() : new UnorderedResultQueue();
    this.lanes = spec.keyOf ? new KeyLanes() : undefined;
    this.requestTimers = new RequestTimers(this.processingTime, () => this.progress.signal());
  }

  override async open(): Promise<void> {
    await super.open();
    this.opened = true;
    const restored = this.restored;
    this.restored = [];
    for (const r of restored) this.submit(r.value, r.timestamp);
  }

  processElement(record: unknown, timestamp: number): void {
    this.submit(record, timestamp);
  }

  override processWatermark(watermark: number): void {
    if (watermark <= this.currentWatermark) return;
    this.currentWatermark = watermark;
    if (this.overflow.length > 0) {
      this.overflow.push({ watermark });
      return;
    }
    this.queue.addWatermark(watermark);
    this.emitReady();
  }

  /** At capacity: the task must stop taking input until a request completes. */
  get blocked(): boolean {
    return this.queue.size >= this.spec.capacity || this.overflow.length > 0;
  }

  /** Resolves once a completed request made room again. */
  whenUnblocked(): Promise<void> {
    if (!this.blocked) return Promise.resolve();
    this.unblocked ??= deferred<void>();
    return this.unblocked.promise;
  }

  /** Waits until every request completed and its result was emitted, then passes on to the base. */
  override async finish(): Promise<void> {
    this.admitOverflow();
    while (!this.drained) {
      if (this.closed) throw new Error('the async wait operator closed before its requests completed');
      for (const request of [...this.live]) this.applySettled(request);
      this.requestTimers.fireDue(this.processingTime.now());
      if (this.drained) break;
      const next = this.requestTimers.nextTime();
      const sleep = next === undefined ? FINISH_POLL_MS : Math.min(FINISH_POLL_MS, Math.max(1, next - this.processingTime.now()));
      await this.progress.wait(sleep);
    }
    await super.finish();
  }

  /** Aborts whatever is still in flight, then closes the function. */
  override async close(): Promise<void> {
    this.closed = true;
    this.requestTimers.cancelAll();
    for (const request of this.live) request.controller?.abort(new Error('the async wait operator closed'));
    this.progress.signal();
    await super.close();
  }

  /**
   * The inputs whose results have not been emitted (in flight, waiting, completed but held for
   * order, or buffered beyond capacity), in input order: what a checkpoint keeps so that restoring
   * them with `restoreInFlight` loses and duplicates nothing.
   */
  snapshotInFlight(): unknown[] {
    return this.inFlight().map((r) => r.value);
  }

  /** The timestamps of the records `snapshotInFlight` returns, index by index. */
  snapshotInFlightTimestamps(): number[] {
    return this.inFlight().map((r) => r.timestamp);
  }

  /**
   * Re-submits inputs of a snapshot: at `open`, ahead of any input, when called before it;
   * otherwise now, behind what already arrived. `timestamps` (from `snapshotInFlightTimestamps`)
   * default to none.
   */
  restoreInFlight(inputs: readonly unknown[], timestamps?: readonly number[]): void {
    const records = inputs.map((value, i) => ({ value, timestamp: timestamps?.[i] ?? NO_TIMESTAMP }));
    if (!this.opened) {
      this.restored.push(...records);
      return;
    }
    for (const r of records) this.submit(r.value, r.timestamp);
  }

  /** In-flight inputs with their timestamps, dealt out again when the parallelism changes. */
  snapshotState(): OperatorStateSnapshot {
    return { [IN_FLIGHT_STATE]: { mode: 'split', entries: this.inFlight().map((r) => [r.value, r.timestamp]) } };
  }

  initializeState(state: RestoredOperatorState): void {
    const entries = (state[IN_FLIGHT_STATE] ?? []) as [unknown, number][];
    this.restoreInFlight(entries.map((e) => e[0]), entries.map((e) => e[1]));
  }

  private get drained(): boolean {
    return this.live.size === 0 && this.overflow.length === 0;
  }

  private inFlight(): { value: unknown; timestamp: number }[] {
    const records = [...this.live].map((r) => ({ value: r.input, timestamp: r.timestamp }));
    for (const b of this.overflow) if (!('watermark' in b)) records.push(b);
    return [...records, ...this.restored];
  }

  private submit(value: unknown, timestamp: number): void {
    if (this.overflow.length > 0 || this.queue.size >= this.spec.capacity) this.overflow.push({ value, timestamp });
    else this.admit(value, timestamp);
  }

  private admit(value: unknown, timestamp: number): void {
    const key = this.spec.keyOf ? keyId(this.spec.keyOf(value)) : undefined;
    const request = new AsyncRequest(value, timestamp, key);
    this.live.add(request);
    this.queue.addRecord(request);
    if (this.lanes && key !== undefined && !this.lanes.enter(key, request)) return;
    this.startAttempt(request);
  }

  private startAttempt(request: AsyncRequest): void {
    request.attempt++;
    request.state = 'running';
    const attempt = request.attempt;
    const controller = new AbortController();
    request.controller = controller;
    const timeoutMs = this.spec.timeoutMs;
    if (attempt === 1 && timeoutMs !== undefined) {
      request.cancelTimeout = this.requestTimers.schedule(this.processingTime.now() + timeoutMs, () => this.onTimeout(request, timeoutMs));
    }
    let call: Promise<unknown>;
    try {
      call = Promise.resolve(this.fn.asyncInvoke(request.input, { signal: controller.signal, attempt }));
    } catch (error) {
      call = Promise.reject(error);
    }
    call.then(
      (value) => this.settle(request, { attempt, ok: true, value }),
      (error: unknown) => this.settle(request, { attempt, ok: false, error }),
    );
  }

  /** Runs in a promise callback: only records the outcome and posts the mail that applies it. */
  private settle(request: AsyncRequest, settlement: Settlement): void {
    if (this.closed || request.state !== 'running' || request.attempt !== settlement.attempt) return;
    request.settled = settlement;
    this.enqueue(() => this.applySettled(request));
    this.progress.signal();
  }

  private applySettled(request: AsyncRequest): void {
    const settled = request.settled;
    if (!settled || this.closed || request.state !== 'running' || settled.attempt !== request.attempt) return;
    request.settled = undefined;
    request.controller = undefined;
    if (settled.ok) this.complete(request, { values: resultValues(settled.value) });
    else this.onCallFailed(request, settled.error);
  }

  private onCallFailed(request: AsyncRequest, error: unknown): void {
    const retry = this.spec.retry;
    if (retry && request.attempt < retry.maxAttempts && (retry.retryOn?.(error) ?? true)) {
      request.state = 'backoff';
      const at = this.processingTime.now() + retryBackoffMs(retry, request.attempt);
      request.cancelRetry = this.requestTimers.schedule(at, () => this.retry(request));
      return;
    }
    this.fail(request, error, false);
  }

  private retry(request: AsyncRequest): void {
    if (this.closed || request.state !== 'backoff') return;
    request.cancelRetry = undefined;
    this.startAttempt(request);
  }

  private onTimeout(request: AsyncRequest, timeoutMs: number): void {
    if (this.closed || (request.state !== 'running' && request.state !== 'backoff')) return;
    request.cancelTimeout = undefined;
    request.cancelRetry?.();
    request.cancelRetry = undefined;
    request.settled = undefined;
    const timeout = new AsyncTimeoutError(timeoutMs);
    request.controller?.abort(timeout);
    request.controller = undefined;
    if (!this.fn.timeout) return this.fail(request, timeout, true);
    let values: readonly unknown[];
    try {
      values = resultValues(this.fn.timeout(request.input));
    } catch (error) {
      return this.fail(request, error, true);
    }
    this.complete(request, { values });
  }

  private fail(request: AsyncRequest, error: unknown, timedOut: boolean): void {
    const tag = this.spec.failureTag;
    if (tag === undefined) {
      request.state = 'failed';
      request.cancelTimeout?.();
      throw new AsyncRequestFailedError(request.attempt, error);
    }
    this.complete(request, { failure: { input: request.input, error: errorMessage(error), attempts: request.attempt, timedOut } });
  }

  private complete(request: AsyncRequest, result: RequestResult): void {
    request.state = 'done';
    request.result = result;
    request.cancelTimeout?.();
    request.cancelTimeout = undefined;
    this.queue.complete(request);
    if (this.lanes && request.key !== undefined) {
      const next = this.lanes.leave(request.key);
      if (next) this.startAttempt(next);
    }
    this.emitReady();
    this.admitOverflow();
  }

  /** Emits every result and watermark whose turn has come. */
  private emitReady(): void {
    this.queue.drain(
      (request) => {
        this.live.delete(request);
        const result = request.result!;
        if ('values' in result) for (const value of result.values) this.output.collect(value, request.timestamp);
        else this.output.collectSide(this.spec.failureTag!, result.failure, request.timestamp);
      },
      (watermark) => this.output.emitWatermark(watermark),
    );
    this.notifyIfUnblocked();
  }

  private notifyIfUnblocked(): void {
    if (!this.unblocked || this.blocked) return;
    const unblocked = this.unblocked;
    this.unblocked = undefined;
    unblocked.resolve();
  }

  /** Starts buffered records while there is room, passing buffered watermarks in their place. */
  private admitOverflow(): void {
    for (let head = this.overflow.peek(); head; head = this.overflow.peek()) {
      if ('watermark' in head) {
        this.overflow.shift();
        this.queue.addWatermark(head.watermark);
        this.emitReady();
        continue;
      }
      if (this.queue.size >= this.spec.capacity) break;
      this.overflow.shift();
      this.admit(head.value, head.timestamp);
    }
    this.notifyIfUnblocked();
  }
}
