/**
 * Window joins: `a.join(b).where(keyA).equalTo(keyB).window(assigner).apply(fn)` emits `fn(x, y)`
 * for every pair of records of the two streams with equal keys in the same window (an inner join).
 * It is a co-group whose function pairs up the two sides, as in Flink.
 */
import type { KeyValue } from '../../../common/key-groups.ts';
import type { DataStream } from '../data-stream.ts';
import type { Window } from '../windowing/global-window.ts';
import type { Trigger } from '../windowing/triggers/trigger.ts';
import type { WindowAssigner } from '../windowing/window-assigner.ts';
import { joinAsCoGroup } from './co-group-window-function.ts';
import { CoGroupedStreams, type CoGroupEqualTo, type CoGroupWhere, type CoGroupWithWindow } from './co-grouped-streams.ts';
import type { JoinFunction, TaggedUnion } from './join-functions.ts';

/** Two streams to join; pick the first stream's key with `where`. */
export class JoinedStreams<A, B> {
  private readonly coGrouped: CoGroupedStreams<A, B>;

  /** @internal Use `DataStream.join`. */
  constructor(first: DataStream<A>, second: DataStream<B>) {
    this.coGrouped = new CoGroupedStreams<A, B>(first, second);
  }

  /** The key of the first stream's records. */
  where<K extends KeyValue>(firstKey: (value: A) => K): JoinWhere<A, B, K> {
    return new JoinWhere<A, B, K>(this.coGrouped.where(firstKey));
  }
}

/** Joined streams with the first key; pick the second with `equalTo`. */
export class JoinWhere<A, B, K extends KeyValue> {
  /** @internal */
  constructor(private readonly coGroup: CoGroupWhere<A, B, K>) {}

  /** The key of the second stream's records; must equal the first's for records that match. */
  equalTo(secondKey: (value: B) => K): JoinEqualTo<A, B, K> {
    return new JoinEqualTo<A, B, K>(this.coGroup.equalTo(secondKey));
  }
}

/** Keyed joined streams; choose the windows with `window`. */
export class JoinEqualTo<A, B, K extends KeyValue> {
  /** @internal */
  constructor(private readonly coGroup: CoGroupEqualTo<A, B, K>) {}

  /** The windows both streams are cut into. */
  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<A, B>, W>): JoinWithWindow<A, B, K, W> {
    return new JoinWithWindow<A, B, K, W>(this.coGroup.window(assigner));
  }
}

/** Windowed joined streams: optionally a trigger and lateness, then `apply`. */
export class JoinWithWindow<A, B, K extends KeyValue, W extends Window> {
  /** @internal */
  constructor(private readonly coGroup: CoGroupWithWindow<A, B, K, W>) {}

  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<TaggedUnion<A, B>, W>): this {
    this.coGroup.trigger(trigger);
    return this;
  }

  /** Keeps windows `ms` of event time past their end, re-firing them for late elements. */
  allowedLateness(ms: number): this {
    this.coGroup.allowedLateness(ms);
    return this;
  }

  /** Emits `fn(a, b)` for every pair with equal keys in the same window. */
  apply<R>(fn: JoinFunction<A, B, R>): DataStream<R> {
    return this.coGroup.apply(joinAsCoGroup(fn), 'Join');
  }
}
