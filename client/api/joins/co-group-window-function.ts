/** The process window function behind window joins: splits a window's tagged elements by side. */
import type { Window } from '../windowing/global-window.ts';
import type { ProcessWindowFunction } from '../windowing/process-window-function.ts';
import type { CoGroupFunction, JoinFunction, TaggedUnion } from './join-functions.ts';

/** Runs `fn` over the two sides of each window's tagged elements. */
export function coGroupWindowFunction<A, B, R, K, W extends Window>(fn: CoGroupFunction<A, B, R>): ProcessWindowFunction<TaggedUnion<A, B>, R, K, W> {
  return {
    process(_key, _context, elements, out) {
      const first: A[] = [];
      const second: B[] = [];
      for (const element of elements) {
        if (element.side === 1) first.push(element.value);
        else second.push(element.value);
      }
      fn(first, second, out);
    },
  };
}

/** A co-group function emitting `fn(a, b)` for every pair of the two sides (an inner join). */
export function joinAsCoGroup<A, B, R>(fn: JoinFunction<A, B, R>): CoGroupFunction<A, B, R> {
  return (first, second, out) => {
    for (const a of first) for (const b of second) out.collect(fn(a, b));
  };
}
