/**
 * The contexts handed to broadcast process functions: a read-only one for the non-broadcast side
 * (and its timers) and a writable one for the broadcast side. One instance of each per operator is
 * reused for every call; the operator sets `currentTimestamp` (and `domain`) before each call.
 */
import type { BroadcastContext, BroadcastState, KeyedBroadcastOnTimerContext, MapStateDescriptor, MapStateKey, OutputTag, ReadOnlyBroadcastState, TimeDomain, TimerService } from '../../client/runtime.ts';
import { NO_TIMESTAMP } from '../../common/time.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import type { BroadcastStateStore } from './broadcast-state.ts';
import type { Output } from './stream-operator.ts';
import { currentKeyOf, timersOf } from './user-contexts.ts';

/** The operator's clocks, read on demand. */
export interface OperatorClocks {
  /** The operator's current watermark. */
  watermark(): number;
  /** The processing-time clock. */
  now(): number;
}

/** What both contexts share: the record's timestamp, the clocks, side outputs. */
abstract class BroadcastContextBaseImpl {
  /** Timestamp of the record or timer being handled. */
  currentTimestamp = NO_TIMESTAMP;

  constructor(
    private readonly out: Output,
    protected readonly store: BroadcastStateStore,
    private readonly clocks: OperatorClocks,
  ) {}

  timestamp(): number | undefined {
    return this.currentTimestamp === NO_TIMESTAMP ? undefined : this.currentTimestamp;
  }

  currentWatermark(): number {
    return this.clocks.watermark();
  }

  currentProcessingTime(): number {
    return this.clocks.now();
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSide(tag.id, value, this.currentTimestamp);
  }
}

/** The context of `processElement` and `onTimer`: read-only broadcast state; the key and timers when keyed. */
export class ReadOnlyBroadcastContextImpl<K = unknown> extends BroadcastContextBaseImpl implements KeyedBroadcastOnTimerContext<K> {
  /** The clock of the timer being handled. */
  domain: TimeDomain = 'EVENT_TIME';

  constructor(
    out: Output,
    store: BroadcastStateStore,
    clocks: OperatorClocks,
    private readonly backend: KeyedStateBackend | undefined,
    private readonly userTimers: TimerService | undefined,
    private readonly operatorName: string,
  ) {
    super(out, store, clocks);
  }

  getBroadcastState<BK extends MapStateKey, V>(descriptor: MapStateDescriptor<BK, V>): ReadOnlyBroadcastState<BK, V> {
    return this.store.readOnly(descriptor);
  }

  getCurrentKey(): K {
    return currentKeyOf<K>(this.backend, this.operatorName);
  }

  timerService(): TimerService {
    return timersOf(this.userTimers, this.operatorName);
  }

  timeDomain(): TimeDomain {
    return this.domain;
  }
}

/** The context of `processBroadcastElement`: writable broadcast state. */
export class BroadcastContextImpl extends BroadcastContextBaseImpl implements BroadcastContext {
  getBroadcastState<BK extends MapStateKey, V>(descriptor: MapStateDescriptor<BK, V>): BroadcastState<BK, V> {
    return this.store.writable(descriptor);
  }
}
