/**
 * The implementations of the window co-group builders (CoGroupedStreams ... CoGroupWithWindow,
 * declared in streams.ts): `a.coGroup(b).where(keyA).equalTo(keyB).window(assigner).apply(fn)`.
 * Built as in Flink, through the public stream API only: each side is tagged ({side, value}), the
 * two are unioned and keyed by the side's key, and a window operator with a process function
 * splits each window's elements back into two lists. Both key selectors must give equal keys for
 * records that belong together.
 */
import type { KeyValue } from '../../../common/key-groups.ts';
import type { CoGroupedStreams, CoGroupEqualTo, CoGroupWhere, CoGroupWithWindow, DataStream } from '../streams.ts';
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

/** Two streams to co-group: see CoGroupedStreams. */
export class CoGroupedStreamsImpl<A, B> implements CoGroupedStreams<A, B> {
  /** The streams of `first.coGroup(second)`. */
  constructor(
    private readonly first: DataStream<A>,
    private readonly second: DataStream<B>,
  ) {}

  where<K extends KeyValue>(firstKey: (value: A) => K): CoGroupWhere<A, B, K> {
    return new CoGroupWhereImpl<A, B, K>(this.first, this.second, firstKey);
  }
}

/** Co-grouped streams with the first key: see CoGroupWhere. */
export class CoGroupWhereImpl<A, B, K extends KeyValue> implements CoGroupWhere<A, B, K> {
  /** The streams and the first stream's key. */
  constructor(
    private readonly first: DataStream<A>,
    private readonly second: DataStream<B>,
    private readonly firstKey: (value: A) => K,
  ) {}

  equalTo(secondKey: (value: B) => K): CoGroupEqualTo<A, B, K> {
    return new CoGroupEqualToImpl<A, B, K>({ first: this.first, second: this.second, firstKey: this.firstKey, secondKey });
  }
}

/** Keyed co-grouped streams: see CoGroupEqualTo. */
export class CoGroupEqualToImpl<A, B, K extends KeyValue> implements CoGroupEqualTo<A, B, K> {
  /** The streams and both keys. */
  constructor(private readonly inputs: JoinInputs<A, B, K>) {}

  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<A, B>, W>): CoGroupWithWindow<A, B, K, W> {
    return new CoGroupWithWindowImpl<A, B, K, W>(this.inputs, assigner);
  }
}

/** Windowed co-grouped streams: see CoGroupWithWindow. */
export class CoGroupWithWindowImpl<A, B, K extends KeyValue, W extends Window> implements CoGroupWithWindow<A, B, K, W> {
  private windowTrigger: Trigger<TaggedUnion<A, B>, W> | undefined;
  private lateness = 0;

  /** The streams, both keys and the windows' assigner. */
  constructor(
    private readonly inputs: JoinInputs<A, B, K>,
    private readonly assigner: WindowAssigner<TaggedUnion<A, B>, W>,
  ) {}

  trigger(trigger: Trigger<TaggedUnion<A, B>, W>): this {
    this.windowTrigger = trigger;
    return this;
  }

  allowedLateness(ms: number): this {
    this.lateness = ms;
    return this;
  }

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
