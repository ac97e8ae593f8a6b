/**
 * Window co-groups: `a.coGroup(b).where(keyA).equalTo(keyB).window(assigner).apply(fn)`. Built as
 * in Flink: each side is tagged ({side, value}), the two are unioned and keyed by the side's key,
 * and a window operator with a process function splits each window's elements back into two lists.
 * Both key selectors must give equal keys for records that belong together.
 */
import type { KeyValue } from '../../../common/key-groups.ts';
import type { DataStream } from '../data-stream.ts';
import type { Window } from '../windowing/global-window.ts';
import type { Trigger } from '../windowing/triggers/trigger.ts';
import type { WindowAssigner } from '../windowing/window-assigner.ts';
import { coGroupWindowFunction } from './co-group-window-function.ts';
import type { CoGroupFunction, TaggedUnion } from './join-functions.ts';

/** The two inputs and their key selectors. */
interface JoinInputs<A, B, K extends KeyValue> {
  readonly first: DataStream<A>;
  readonly second: DataStream<B>;
  readonly firstKey: (value: A) => K;
  readonly secondKey: (value: B) => K;
}

/** Two streams to co-group; pick the first stream's key with `where`. */
export class CoGroupedStreams<A, B> {
  /** @internal Use `DataStream.coGroup`. */
  constructor(
    private readonly first: DataStream<A>,
    private readonly second: DataStream<B>,
  ) {}

  /** The key of the first stream's records. */
  where<K extends KeyValue>(firstKey: (value: A) => K): CoGroupWhere<A, B, K> {
    return new CoGroupWhere<A, B, K>(this.first, this.second, firstKey);
  }
}

/** Co-grouped streams with the first key; pick the second with `equalTo`. */
export class CoGroupWhere<A, B, K extends KeyValue> {
  /** @internal */
  constructor(
    private readonly first: DataStream<A>,
    private readonly second: DataStream<B>,
    private readonly firstKey: (value: A) => K,
  ) {}

  /** The key of the second stream's records; must equal the first's for records that match. */
  equalTo(secondKey: (value: B) => K): CoGroupEqualTo<A, B, K> {
    return new CoGroupEqualTo<A, B, K>({ first: this.first, second: this.second, firstKey: this.firstKey, secondKey });
  }
}

/** Keyed co-grouped streams; choose the windows with `window`. */
export class CoGroupEqualTo<A, B, K extends KeyValue> {
  /** @internal */
  constructor(private readonly inputs: JoinInputs<A, B, K>) {}

  /** The windows both streams are cut into. */
  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<A, B>, W>): CoGroupWithWindow<A, B, K, W> {
    return new CoGroupWithWindow<A, B, K, W>(this.inputs, assigner);
  }
}

/** Windowed co-grouped streams: optionally a trigger and lateness, then `apply`. */
export class CoGroupWithWindow<A, B, K extends KeyValue, W extends Window> {
  private windowTrigger: Trigger<TaggedUnion<A, B>, W> | undefined;
  private lateness = 0;

  /** @internal */
  constructor(
    private readonly inputs: JoinInputs<A, B, K>,
    private readonly assigner: WindowAssigner<TaggedUnion<A, B>, W>,
  ) {}

  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<TaggedUnion<A, B>, W>): this {
    this.windowTrigger = trigger;
    return this;
  }

  /** Keeps windows `ms` of event time past their end, re-firing them for late elements. */
  allowedLateness(ms: number): this {
    this.lateness = ms;
    return this;
  }

  /** Calls `fn` with both sides' elements of every key and window that has any. */
  apply<R>(fn: CoGroupFunction<A, B, R>, name = 'CoGroup'): DataStream<R> {
    const { first, second, firstKey, secondKey } = this.inputs;
    const taggedFirst = first.map((value): TaggedUnion<A, B> => ({ side: 1, value })).name(`${name}: tag first input`);
    const taggedSecond = second.map((value): TaggedUnion<A, B> => ({ side: 2, value })).name(`${name}: tag second input`);
    const windowed = taggedFirst
      .union(taggedSecond)
      .keyBy((tagged): K => (tagged.side === 1 ? firstKey(tagged.value) : secondKey(tagged.value)))
      .window(this.assigner)
      .allowedLateness(this.lateness);
    if (this.windowTrigger !== undefined) windowed.trigger(this.windowTrigger);
    return windowed.process(coGroupWindowFunction<A, B, R, K, W>(fn)).name(`${name}: ${String(this.assigner)}`);
  }
}
