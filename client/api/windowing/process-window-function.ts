/** The window function with the most control: all elements of a window, plus the window and state. */
import type { Collector, OutputTag, RichFunction } from '../functions.ts';
import type { KeyedStateStore } from '../state.ts';
import type { Window } from './global-window.ts';

/** What a process window function sees besides the elements. */
export interface ProcessWindowContext<W extends Window> {
  /** The window being evaluated. */
  readonly window: W;
  /** The operator's watermark. */
  currentWatermark(): number;
  currentProcessingTime(): number;
  /**
   * Keyed state scoped to this key and window; clear it in `clear`, which runs when the window
   * goes. Handles are valid for the current call; use names distinct from global state.
   */
  windowState(): KeyedStateStore;
  /** Keyed state of this key shared by all windows. */
  globalState(): KeyedStateStore;
  /** Emits to a side output, with the window's max timestamp. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Evaluates a window: called with every element of the window (or, combined with `reduce` or
 * `aggregate`, with the single pre-aggregated value) each time the window fires. What it emits
 * carries the window's max timestamp.
 */
export interface ProcessWindowFunction<IN, OUT, K, W extends Window> extends RichFunction {
  process(key: K, context: ProcessWindowContext<W>, elements: IN[], out: Collector<OUT>): void;
  /** The window is being purged for good: clear its `windowState()` here. */
  clear?(context: ProcessWindowContext<W>): void;
}
