/**
 * Caches the window objects (and window arrays) of fixed-size assigners by start, so that the
 * per-record path of tumbling and sliding windows allocates nothing once a window was seen, and
 * the runtime, which keys its caches by window object, sees one object per window.
 */
import { TimeWindow } from './time-window.ts';

/** Entries kept before a cache starts over (old windows are rarely needed again). */
const MAX_ENTRIES = 1024;

/** The windows [start, start + size) of one size, by start. */
export class FixedWindowCache {
  private readonly windows = new Map<number, TimeWindow>();

  constructor(private readonly size: number) {}

  /** The window [start, start + size). */
  window(start: number): TimeWindow {
    let window = this.windows.get(start);
    if (window === undefined) {
      if (this.windows.size >= MAX_ENTRIES) this.windows.clear();
      window = TimeWindow.of(start, start + this.size);
      this.windows.set(start, window);
    }
    return window;
  }
}

/**
 * Frozen window arrays by a numeric id (a window start), built on a miss. The list returned last
 * is remembered: consecutive records mostly fall into the same windows.
 */
export class WindowListCache {
  private readonly lists = new Map<number, readonly TimeWindow[]>();
  private lastId = Number.NaN;
  private lastList: readonly TimeWindow[] = [];

  constructor(private readonly build: (id: number) => TimeWindow[]) {}

  /** The list of `id`. */
  get(id: number): readonly TimeWindow[] {
    if (id === this.lastId) return this.lastList;
    let list = this.lists.get(id);
    if (list === undefined) {
      if (this.lists.size >= MAX_ENTRIES) this.lists.clear();
      list = Object.freeze(this.build(id));
      this.lists.set(id, list);
    }
    this.lastId = id;
    this.lastList = list;
    return list;
  }
}
