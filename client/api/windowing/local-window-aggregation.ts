/**
 * Local window aggregation (two-phase aggregation; Flink SQL's local-global aggregation, Beam's
 * combiner lifting): an event-time window `aggregate` is split into a local phase, chained to the
 * producer before the keyed exchange, that folds records into one accumulator per key and window
 * in a bounded in-memory buffer, and the window operator, which merges those partial
 * accumulators into its keyed state. The exchange then carries one partial per key, window and
 * flush instead of every record.
 *
 * Results are the same as without it, because:
 * - only `aggregate` windows are lifted, with the default event-time trigger, no evictor, the
 *   built-in tumbling or sliding event-time assigner (windows of one size, which the local phase
 *   buffers by start), no allowed lateness and no late-data output;
 *   `AggregateFunction.merge` is part of that contract, while a reduce function need not be
 *   associative;
 * - the local phase forwards a watermark only after emitting every partial of the windows it
 *   ends, so a partial reaches the window operator before that window fires: the window
 *   operator's watermark is the minimum over its inputs, never ahead of this one's;
 * - a record whose window the local watermark already ended is not folded but sent as it is,
 *   after the key's buffered partials, so late handling stays per record and each key's records
 *   keep their order;
 * - the buffer is emitted whenever the task turns idle, so it never stalls a window behind an idle
 *   input; a checkpoint keeps it as operator state (restored by any subtask, since the phase runs
 *   before the exchange) rather than emitting it, so checkpoints add no partials downstream.
 *
 * One race remains, as it does without local aggregation: an input that was idle and turns active
 * again may send records for windows the others' watermark already ended. Such a partial is late
 * as a whole: it is dropped and counted with the number of records it folded.
 *
 * On the wire a local phase emits envelopes: `[key, start, end, accumulator, records]` for a
 * partial and `[key, record]` for a record sent as it is.
 */
import type { KeySelector } from '../functions.ts';
import type { AggregateFunction } from '../state.ts';
import { EventTimeTrigger } from './triggers/event-time-trigger.ts';
import type { Window } from './global-window.ts';
import { SlidingEventTimeWindows } from './sliding-windows.ts';
import { TumblingEventTimeWindows } from './tumbling-windows.ts';
import type { WindowAssigner } from './window-assigner.ts';
import type { WindowSpec } from './window-spec.ts';

/** How windows are aggregated locally; set on the environment before defining windows. */
export interface LocalWindowAggregationOptions {
  /** Lift eligible window aggregates (see the module comment); default true. */
  readonly enabled?: boolean;
  /** Partials (key and window pairs) a local phase buffers before it emits them all; default 16 384. */
  readonly maxEntries?: number;
}

/** `LocalWindowAggregationOptions` with defaults filled in. */
export interface LocalWindowAggregationConfig {
  readonly enabled: boolean;
  readonly maxEntries: number;
}

/** Resolves options against the defaults, rejecting a non-positive buffer size. */
export function resolveLocalWindowAggregation(options: LocalWindowAggregationOptions = {}): LocalWindowAggregationConfig {
  const maxEntries = options.maxEntries ?? 16_384;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error(`local window aggregation maxEntries must be a positive integer; got ${String(maxEntries)}`);
  return { enabled: options.enabled ?? true, maxEntries };
}

/** A partial accumulator of one key and window, with the number of records folded into it. */
export type WindowPartial = readonly [key: unknown, start: number, end: number, accumulator: unknown, records: number];

/** A record a local phase did not fold (its window already ended there), with its key. */
export type UnfoldedRecord = readonly [key: unknown, record: unknown];

/** What crosses the exchange after a local phase. */
export type LocalAggregateEnvelope = WindowPartial | UnfoldedRecord;

/** Whether an envelope is a partial (rather than a record sent as it is). */
export function isWindowPartial(envelope: LocalAggregateEnvelope): envelope is WindowPartial {
  return envelope.length === 5;
}

/** The key selector of the exchange after a local phase: the envelope's key. */
export const envelopeKey: KeySelector<unknown> = (envelope) => (envelope as LocalAggregateEnvelope)[0] as ReturnType<KeySelector<unknown>>;

/** The spec of a local phase: the window's assigner and aggregate, and the user's key selector. */
export interface LocalWindowAggregateSpec {
  readonly assigner: WindowAssigner<unknown, Window>;
  readonly aggregate: AggregateFunction<unknown, unknown, unknown>;
  readonly keySelector: KeySelector<unknown>;
  readonly maxEntries: number;
}

/** Whether a window definition can be split into a local and a global phase without changing results. */
export function canAggregateLocally(spec: WindowSpec): boolean {
  return (
    spec.fn.kind === 'aggregate' &&
    typeof spec.fn.aggregate.merge === 'function' &&
    spec.evictToCount === undefined &&
    spec.allowedLateness === 0 &&
    spec.lateDataTag === undefined &&
    (spec.assigner instanceof TumblingEventTimeWindows || spec.assigner instanceof SlidingEventTimeWindows) &&
    spec.trigger instanceof EventTimeTrigger
  );
}
