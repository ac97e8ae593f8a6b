/**
 * The implementations of the window join builders (JoinedStreams ... JoinWithWindow, declared in
 * streams.ts): `a.join(b).where(keyA).equalTo(keyB).window(assigner).apply(fn)` emits `fn(x, y)`
 * for every pair of records of the two streams with equal keys in the same window (an inner join).
 * It is a co-group whose function pairs up the two sides, as in Flink.
 */
import type { KeyValue } from '../../../common/key-groups.ts';
import type { CoGroupEqualTo, CoGroupWhere, CoGroupWithWindow, DataStream, JoinedStreams, JoinEqualTo, JoinWhere, JoinWithWindow } from '../streams.ts';
import type { Window } from '../windowing/global-window.ts';
import type { Trigger } from '../windowing/triggers/trigger.ts';
import type { WindowAssigner } from '../windowing/window-assigner.ts';
import { joinAsCoGroup } from './co-group-window-function.ts';
import { CoGroupedStreamsImpl } from './co-grouped-streams.ts';
import type { JoinFunction, TaggedUnion } from './join-functions.ts';

/** Two streams to join: see JoinedStreams. */
export class JoinedStreamsImpl<A, B> implements JoinedStreams<A, B> {
  private readonly coGrouped: CoGroupedStreamsImpl<A, B>;

  /** The streams of `first.join(second)`. */
  constructor(first: DataStream<A>, second: DataStream<B>) {
    this.coGrouped = new CoGroupedStreamsImpl<A, B>(first, second);
  }

  where<K extends KeyValue>(firstKey: (value: A) => K): JoinWhere<A, B, K> {
    return new JoinWhereImpl<A, B, K>(this.coGrouped.where(firstKey));
  }
}

/** Joined streams with the first key: see JoinWhere. */
export class JoinWhereImpl<A, B, K extends KeyValue> implements JoinWhere<A, B, K> {
  /** The co-group the join is built as. */
  constructor(private readonly coGroup: CoGroupWhere<A, B, K>) {}

  equalTo(secondKey: (value: B) => K): JoinEqualTo<A, B, K> {
    return new JoinEqualToImpl<A, B, K>(this.coGroup.equalTo(secondKey));
  }
}

/** Keyed joined streams: see JoinEqualTo. */
export class JoinEqualToImpl<A, B, K extends KeyValue> implements JoinEqualTo<A, B, K> {
  /** The co-group the join is built as. */
  constructor(private readonly coGroup: CoGroupEqualTo<A, B, K>) {}

  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<A, B>, W>): JoinWithWindow<A, B, K, W> {
    return new JoinWithWindowImpl<A, B, K, W>(this.coGroup.window(assigner));
  }
}

/** Windowed joined streams: see JoinWithWindow. */
export class JoinWithWindowImpl<A, B, K extends KeyValue, W extends Window> implements JoinWithWindow<A, B, K, W> {
  /** The co-group the join is built as. */
  constructor(private readonly coGroup: CoGroupWithWindow<A, B, K, W>) {}

  trigger(trigger: Trigger<TaggedUnion<A, B>, W>): this {
    this.coGroup.trigger(trigger);
    return this;
  }

  allowedLateness(ms: number): this {
    this.coGroup.allowedLateness(ms);
    return this;
  }

  apply<R>(fn: JoinFunction<A, B, R>): DataStream<R> {
    return this.coGroup.apply(joinAsCoGroup(fn), 'Join');
  }
}
