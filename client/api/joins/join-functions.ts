/** The user functions of window joins, and the tagged records both inputs travel as. */
import type { Collector } from '../functions.ts';

/** Joins one element of the first stream with one of the second (same key, same window). */
export type JoinFunction<A, B, R> = (first: A, second: B) => R;

/** Gets all elements of both streams with the same key in the same window (one side may be empty). */
export type CoGroupFunction<A, B, R> = (first: A[], second: B[], out: Collector<R>) => void;

/** An element of either input of a window join, tagged with its side. */
export type TaggedUnion<A, B> = { readonly side: 1; readonly value: A } | { readonly side: 2; readonly value: B };
