/**
 * The context handed to process window functions: one instance per operator, pointed at the
 * window being evaluated before each call.
 */
import { GLOBAL_WINDOW, type KeyedStateStore, type OutputTag, type ProcessWindowContext, type Window, windowMaxTimestamp } from '../../../client/runtime.ts';
import type { InternalTimerService, KeyedStateBackend } from '../../state/keyed-state-backend.ts';
import type { Output } from '../stream-operator.ts';
import { NamespacedStateStore } from './namespaced-state-store.ts';

/** See the module comment. */
export class WindowProcessContext implements ProcessWindowContext<Window> {
  window: Window = GLOBAL_WINDOW;
  private maxTimestamp = windowMaxTimestamp(GLOBAL_WINDOW);
  private readonly perWindow: NamespacedStateStore;
  private readonly global: NamespacedStateStore;

  constructor(
    backend: KeyedStateBackend,
    private readonly timers: InternalTimerService,
    private readonly out: Output,
    private readonly now: () => number,
  ) {
    this.perWindow = new NamespacedStateStore(backend);
    this.global = new NamespacedStateStore(backend);
  }

  /** Points the context at a window (and its namespace, for per-window state). */
  setWindow(window: Window, namespace: string): void {
    this.window = window;
    this.maxTimestamp = windowMaxTimestamp(window);
    this.perWindow.namespace = namespace;
  }

  currentWatermark(): number {
    return this.timers.currentWatermark;
  }

  currentProcessingTime(): number {
    return this.now();
  }

  windowState(): KeyedStateStore {
    return this.perWindow;
  }

  globalState(): KeyedStateStore {
    return this.global;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSide(tag.id, value, this.maxTimestamp);
  }
}
