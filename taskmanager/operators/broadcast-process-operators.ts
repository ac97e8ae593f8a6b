/**
 * Operators of the broadcast state pattern. Input 0 is the non-broadcast (possibly keyed) stream,
 * whose records see broadcast state read-only; input 1 is the broadcast stream, whose records may
 * change it. Broadcast state is operator state: see broadcast-state.ts.
 */
import type { BroadcastContext, BroadcastProcessFunction, BroadcastProcessSpec, Collector, KeyedBroadcastProcessFunction } from '../../client/runtime.ts';
import type { InternalTimer } from '../state/keyed-state-backend.ts';
import { AbstractStreamOperator, type UserOperatorSetup } from './abstract-stream-operator.ts';
import type { OperatorStateSnapshot, RestoredOperatorState } from './stream-operator.ts';

/** Operator state name of the broadcast state. */
const BROADCAST_STATE = 'broadcast';
import { BroadcastContextImpl, ReadOnlyBroadcastContextImpl, type OperatorClocks } from './broadcast-contexts.ts';
import { BroadcastStateStore, type BroadcastStateSnapshot } from './broadcast-state.ts';
import { TimestampedCollector } from './timestamped-collector.ts';
import { fireUserTimer, UserTimerService } from './user-contexts.ts';

/** The logical input of the non-broadcast stream. */
export const ELEMENT_INPUT = 0;
/** The logical input of the broadcast stream. */
export const BROADCAST_INPUT = 1;

/** What both broadcast functions have in common. */
interface BroadcastSide {
  processBroadcastElement(value: unknown, ctx: BroadcastContext, out: Collector<unknown>): void;
}

/** Routes the two inputs and owns the broadcast state. */
abstract class AbstractBroadcastProcessOperator extends AbstractStreamOperator {
  protected readonly collector: TimestampedCollector;
  protected readonly store: BroadcastStateStore;
  protected readonly clocks: OperatorClocks;
  private readonly broadcastCtx: BroadcastContextImpl;

  constructor(
    setup: UserOperatorSetup,
    private readonly broadcastFn: BroadcastSide,
    spec: BroadcastProcessSpec | undefined,
  ) {
    super(setup, [broadcastFn]);
    if (!spec) throw new Error(`${this.context.taskName}: a broadcast process operator needs its broadcast state descriptors`);
    this.collector = new TimestampedCollector(this.output);
    this.store = new BroadcastStateStore(spec.descriptors, this.context.taskName);
    for (const descriptor of spec.descriptors) {
      const name = descriptor.queryable;
      if (name === undefined || !setup.queryable) continue;
      const state = this.store.readOnly(descriptor);
      setup.queryable.register(name, (key) => (typeof key === 'string' || typeof key === 'number' ? state.get(key) : undefined));
    }
    this.clocks = { watermark: () => this.currentWatermark, now: () => this.processingTime.now() };
    this.broadcastCtx = new BroadcastContextImpl(this.output, this.store, this.clocks);
  }

  processElement(record: unknown, timestamp: number, inputIndex: number): void {
    this.collector.timestamp = timestamp;
    if (inputIndex === ELEMENT_INPUT) {
      this.processNonBroadcast(record, timestamp);
    } else if (inputIndex === BROADCAST_INPUT) {
      this.broadcastCtx.currentTimestamp = timestamp;
      this.broadcastFn.processBroadcastElement(record, this.broadcastCtx, this.collector);
    } else {
      throw new Error(`${this.context.taskName}: a broadcast process operator has no input ${inputIndex}`);
    }
  }

  /** The entries of every broadcast state, by descriptor name, for a checkpoint. */
  snapshotBroadcastState(): BroadcastStateSnapshot {
    return this.store.snapshot();
  }

  /** Replaces the broadcast state with a snapshot's; call before the first record. */
  restoreBroadcastState(snapshot: BroadcastStateSnapshot): void {
    this.store.restore(snapshot);
  }

  /** Checkpoints keep one copy of the broadcast state; every subtask holds the same. */
  snapshotState(): OperatorStateSnapshot {
    return { [BROADCAST_STATE]: { mode: 'broadcast', entries: [this.snapshotBroadcastState()] } };
  }

  initializeState(state: RestoredOperatorState): void {
    const snapshot = state[BROADCAST_STATE]?.[0];
    if (snapshot !== undefined) this.restoreBroadcastState(snapshot as BroadcastStateSnapshot);
  }

  /** A record of the non-broadcast input; the collector's timestamp is set. */
  protected abstract processNonBroadcast(record: unknown, timestamp: number): void;
}

/** Runs a BroadcastProcessFunction: a non-keyed stream evaluated against broadcast state. */
export class BroadcastProcessOperator extends AbstractBroadcastProcessOperator {
  private readonly ctx: ReadOnlyBroadcastContextImpl;

  constructor(
    setup: UserOperatorSetup,
    private readonly fn: BroadcastProcessFunction<unknown, unknown, unknown>,
    spec: BroadcastProcessSpec | undefined,
  ) {
    super(setup, fn, spec);
    this.ctx = new ReadOnlyBroadcastContextImpl(this.output, this.store, this.clocks, undefined, undefined, this.context.taskName);
  }

  protected processNonBroadcast(record: unknown, timestamp: number): void {
    this.ctx.currentTimestamp = timestamp;
    this.fn.processElement(record, this.ctx, this.collector);
  }
}

/** Runs a KeyedBroadcastProcessFunction: keyed state and timers on input 0, broadcast state from input 1. */
export class KeyedBroadcastProcessOperator extends AbstractBroadcastProcessOperator {
  private readonly ctx: ReadOnlyBroadcastContextImpl;

  constructor(
    setup: UserOperatorSetup,
    private readonly fn: KeyedBroadcastProcessFunction<unknown, unknown, unknown, unknown>,
    spec: BroadcastProcessSpec | undefined,
  ) {
    super(setup, fn, spec);
    const keyed = setup.keyed;
    if (!keyed) throw new Error(`${this.context.taskName}: a KeyedBroadcastProcessFunction needs a keyed stream on input 0`);
    const timers = new UserTimerService(keyed.timers, () => this.processingTime.now(), () => this.armProcessingTimers());
    this.ctx = new ReadOnlyBroadcastContextImpl(this.output, this.store, this.clocks, keyed.backend, timers, this.context.taskName);
  }

  protected processNonBroadcast(record: unknown, timestamp: number): void {
    this.setKeyContext(record, ELEMENT_INPUT);
    this.ctx.currentTimestamp = timestamp;
    this.fn.processElement(record, this.ctx, this.collector);
  }

  protected override onEventTime(timer: InternalTimer): void {
    fireUserTimer(this.fn, timer, 'EVENT_TIME', this.ctx, this.collector);
  }

  protected override onProcessingTime(timer: InternalTimer): void {
    fireUserTimer(this.fn, timer, 'PROCESSING_TIME', this.ctx, this.collector);
  }
}
