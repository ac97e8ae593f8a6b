/**
 * The window operator (Flink's WindowOperator): on a keyed stream, assigns each element to
 * windows, keeps their contents in keyed state under the window's namespace, asks the trigger
 * when to evaluate and purge them, and drops each window's state at its cleanup time (end of the
 * window plus the allowed lateness, in the assigner's time domain). Elements for windows already
 * cleaned up are late: they go to the late-data side output, or are dropped and counted.
 *
 * Merging assigners (sessions) keep a per-key set of in-flight windows (see merging-window-set.ts)
 * whose contents and trigger state merge as elements bridge them. Results carry the window's max
 * timestamp.
 */
import { MAX_WATERMARK } from '../../../common/time.ts';
import { type AnyProcessWindowFunction, EventTimeTrigger, type FixedSizeWindowAssigner, isMergingAssigner, isWindowPartial, type LocalAggregateEnvelope, ProcessingTimeTrigger, type Trigger, TriggerResult, type Window, type WindowAssigner, type WindowAssignerContext, windowMaxTimestamp, type WindowPartial, type WindowSpec } from '../../../client/runtime.ts';
import { windowNamespace, windowOfNamespace } from './window-namespace.ts';
import type { InternalTimer, InternalTimerService, KeyedStateBackend } from '../../state/keyed-state-backend.ts';
import { AbstractStreamOperator, type UserOperatorSetup } from '../abstract-stream-operator.ts';
import { TimestampedCollector } from '../timestamped-collector.ts';
import { MergingWindowSet, type MergeFunction } from './merging-window-set.ts';
import { createWindowContents, type WindowContents } from './window-contents.ts';
import { WindowProcessContext } from './window-process-context.ts';
import { WindowTriggerContext } from './window-trigger-context.ts';

/** See the module comment. */
export class WindowOperator extends AbstractStreamOperator {
  /** Late elements dropped because no late-data side output was set. */
  lateRecordsDropped = 0;
  private readonly backend: KeyedStateBackend;
  private readonly timerService: InternalTimerService;
  private readonly assigner: WindowAssigner<unknown, Window>;
  private readonly trigger: Trigger<unknown, Window>;
  private readonly isEventTime: boolean;
  private readonly allowedLateness: number;
  private readonly lateDataTag: string | undefined;
  private readonly process: AnyProcessWindowFunction | undefined;
  private readonly contents: WindowContents;
  private readonly merging: MergingWindowSet | undefined;
  private readonly triggerContext: WindowTriggerContext;
  private readonly processContext: WindowProcessContext;
  private readonly collector: TimestampedCollector;
  private readonly assignerContext: WindowAssignerContext;
  /**
   * Whether the trigger registers a timer at exactly the cleanup time on every element (the
   * default triggers without lateness), so that the operator need not register it again.
   */
  private readonly triggerRegistersCleanup: boolean;
  /** Whether input records are envelopes of local window aggregates. */
  private readonly locallyAggregated: boolean;

  constructor(setup: UserOperatorSetup, spec: WindowSpec) {
    super(setup, spec.fn.process === undefined ? [] : [spec.fn.process]);
    const keyed = setup.keyed;
    if (!keyed) throw new Error(`${this.context.taskName}: windows need a keyed stream; apply keyBy first`);
    if (!(spec.allowedLateness >= 0)) throw new Error(`allowed lateness must be >= 0 ms; got ${String(spec.allowedLateness)}`);
    this.backend = keyed.backend;
    this.timerService = keyed.timers;
    this.assigner = spec.assigner;
    this.trigger = spec.trigger;
    this.isEventTime = spec.assigner.isEventTime;
    this.allowedLateness = this.isEventTime ? spec.allowedLateness : 0;
    this.lateDataTag = spec.lateDataTag;
    this.process = spec.fn.process;
    this.contents = createWindowContents(this.backend, spec.fn, spec.evictToCount);
    if (isMergingAssigner(spec.assigner)) {
      if (spec.trigger.canMerge?.() !== true || spec.trigger.onMerge === undefined) {
        throw new Error(`${this.context.taskName}: a merging window assigner (sessions) needs a trigger that supports merging (canMerge() and onMerge)`);
      }
      if (spec.evictToCount !== undefined) throw new Error(`${this.context.taskName}: merging windows cannot evict`);
      this.merging = new MergingWindowSet(spec.assigner, this.backend);
    }
    const now = (): number => this.processingTime.now();
    this.triggerContext = new WindowTriggerContext(this.backend, this.timerService, now, () => this.armProcessingTimers());
    this.processContext = new WindowProcessContext(this.backend, this.timerService, this.output, now);
    this.collector = new TimestampedCollector(this.output);
    this.assignerContext = { currentProcessingTime: now };
    this.locallyAggregated = spec.locallyAggregated === true;
    this.triggerRegistersCleanup =
      (this.isEventTime && this.allowedLateness === 0 && spec.trigger instanceof EventTimeTrigger) ||
      (!this.isEventTime && spec.trigger instanceof ProcessingTimeTrigger);
  }

  processElement(input: unknown, timestamp: number, inputIndex: number): void {
    this.setKeyContext(input, inputIndex);
    let record = input;
    if (this.locallyAggregated) {
      const envelope = input as LocalAggregateEnvelope;
      if (isWindowPartial(envelope)) {
        this.addPartial(envelope, timestamp);
        return;
      }
      record = envelope[1];
    }
    const windows = this.assigner.assignWindows(record, timestamp, this.assignerContext);
    const merging = this.merging;
    const skipped = merging === undefined ? this.addToWindows(record, timestamp, windows) : this.addToMergingWindows(record, timestamp, windows, merging.load());
    if (skipped && this.isEventTime && timestamp + this.allowedLateness <= this.currentWatermark) {
      if (this.lateDataTag !== undefined) this.output.collectSide(this.lateDataTag, record, timestamp);
      else this.lateRecordsDropped++;
    }
  }

  protected override onEventTime(timer: InternalTimer): void {
    this.onTimer(timer, true);
  }

  protected override onProcessingTime(timer: InternalTimer): void {
    this.onTimer(timer, false);
  }

  /**
   * Merges a local window aggregate's partial into its window. A partial for a window already
   * cleaned up (possible only after an idle input turned active again) is dropped like the
   * records it folded.
   */
  private addPartial(partial: WindowPartial, timestamp: number): void {
    const [, start, end, accumulator, records] = partial;
    const window = this.partialWindow(start, end);
    if (this.isWindowLate(window)) {
      this.lateRecordsDropped += records;
      return;
    }
    const namespace = windowNamespace(window);
    this.contents.state.setCurrentNamespace(namespace);
    this.contents.mergePartial(accumulator);
    this.triggerOnElement(partial, timestamp, window, namespace, namespace);
  }

  /** The window of a partial: the assigner's own object for it (a fixed-size assigner's, see canAggregateLocally). */
  private partialWindow(start: number, end: number): Window {
    const assigner = this.assigner as FixedSizeWindowAssigner<unknown>;
    if (end - start !== assigner.size) throw new Error(`${this.context.taskName}: a partial aggregate of a window of ${end - start} ms, not ${assigner.size} ms`);
    return assigner.windowAt(start);
  }

  /** Adds an element to its (non-merging) windows; returns whether every window was late. */
  private addToWindows(record: unknown, timestamp: number, windows: readonly Window[]): boolean {
    let skipped = true;
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!;
      if (this.isWindowLate(window)) continue;
      skipped = false;
      const namespace = windowNamespace(window);
      this.contents.state.setCurrentNamespace(namespace);
      this.contents.add(record);
      this.triggerOnElement(record, timestamp, window, namespace, namespace);
    }
    return skipped;
  }

  /** Adds an element to its windows, merging them with the key's in-flight windows. */
  private addToMergingWindows(record: unknown, timestamp: number, windows: readonly Window[], set: MergingWindowSet): boolean {
    let skipped = true;
    for (let i = 0; i < windows.length; i++) {
      const actual = set.addWindow(windows[i]!, this.mergeWindows);
      const namespace = set.resultNamespace;
      if (this.isWindowLate(actual)) {
        set.retireWindow(namespace);
        continue;
      }
      skipped = false;
      const stateNamespace = set.stateNamespaceOf(namespace);
      if (stateNamespace === undefined) throw new Error(`window ${namespace} is not in the in-flight window set`);
      this.contents.state.setCurrentNamespace(stateNamespace);
      this.contents.add(record);
      this.triggerOnElement(record, timestamp, actual, namespace, stateNamespace);
    }
    set.persist();
    return skipped;
  }

  private triggerOnElement(record: unknown, timestamp: number, window: Window, namespace: string, stateNamespace: string): void {
    this.triggerContext.namespace = namespace;
    const result = this.trigger.onElement(record, timestamp, window, this.triggerContext);
    if (result !== TriggerResult.CONTINUE) this.act(result, window, namespace, stateNamespace);
    if (!this.triggerRegistersCleanup) this.registerCleanupTimer(window, namespace);
  }

  /** Merges trigger state, timers and contents of windows that became one. */
  private readonly mergeWindows: MergeFunction = (result, resultNamespace, merged, mergedNamespaces, stateNamespace, mergedStateNamespaces) => {
    const cleanupTime = this.cleanupTime(result);
    const now = this.isEventTime ? this.currentWatermark : this.processingTime.now();
    if (cleanupTime <= now) {
      throw new Error(`merging windows produced ${resultNamespace}, which ends before the current ${this.isEventTime ? 'watermark' : 'processing time'} ${now}`);
    }
    const ctx = this.triggerContext;
    ctx.namespace = resultNamespace;
    ctx.mergedNamespaces = mergedNamespaces;
    try {
      this.trigger.onMerge!(result, ctx);
    } finally {
      ctx.resetMerged();
    }
    for (let i = 0; i < merged.length; i++) {
      const window = merged[i]!;
      const namespace = mergedNamespaces[i]!;
      ctx.namespace = namespace;
      this.trigger.clear(window, ctx);
      if (!this.triggerRegistersCleanup) this.deleteCleanupTimer(window, namespace);
    }
    this.contents.state.mergeNamespaces(stateNamespace, mergedStateNamespaces);
  };

  private onTimer(timer: InternalTimer, eventTime: boolean): void {
    const namespace = timer.namespace;
    const window = windowOfNamespace(namespace);
    let stateNamespace = namespace;
    const set = this.merging?.load();
    if (set !== undefined) {
      const found = set.stateNamespaceOf(namespace);
      // A timer of a window merged away, that its trigger did not delete: nothing left to do.
      if (found === undefined) return;
      stateNamespace = found;
    }
    const ctx = this.triggerContext;
    ctx.namespace = namespace;
    const result = eventTime ? this.trigger.onEventTime(timer.timestamp, window, ctx) : this.trigger.onProcessingTime(timer.timestamp, window, ctx);
    if (result !== TriggerResult.CONTINUE) this.act(result, window, namespace, stateNamespace);
    if (eventTime === this.isEventTime && timer.timestamp === this.cleanupTime(window)) this.clearAllState(window, namespace, stateNamespace, set);
    set?.persist();
  }

  /** Fires and/or purges a window as the trigger said. */
  private act(result: TriggerResult, window: Window, namespace: string, stateNamespace: string): void {
    const contents = this.contents;
    if (TriggerResult.isFire(result)) {
      contents.state.setCurrentNamespace(stateNamespace);
      this.processContext.setWindow(window, namespace);
      this.collector.timestamp = windowMaxTimestamp(window);
      contents.emit(this.backend.currentKey, this.processContext, this.collector);
    }
    if (TriggerResult.isPurge(result)) {
      contents.state.setCurrentNamespace(stateNamespace);
      contents.clear();
    }
  }

  /** Drops everything of a window: contents, trigger state, the function's window state, its place in the merging set. */
  private clearAllState(window: Window, namespace: string, stateNamespace: string, set: MergingWindowSet | undefined): void {
    this.contents.state.setCurrentNamespace(stateNamespace);
    this.contents.clear();
    this.triggerContext.namespace = namespace;
    this.trigger.clear(window, this.triggerContext);
    if (this.process?.clear !== undefined) {
      this.processContext.setWindow(window, namespace);
      this.process.clear(this.processContext);
    }
    set?.retireWindow(namespace);
  }

  /** When a window's state goes: its end plus the allowed lateness (event time), or its end (processing time). */
  private cleanupTime(window: Window): number {
    return windowMaxTimestamp(window) + this.allowedLateness;
  }

  /** Whether an event-time window was already cleaned up (or would be at once). */
  private isWindowLate(window: Window): boolean {
    return this.isEventTime && this.cleanupTime(window) <= this.currentWatermark;
  }

  private registerCleanupTimer(window: Window, namespace: string): void {
    const time = this.cleanupTime(window);
    if (time === MAX_WATERMARK) return;
    if (this.isEventTime) {
      this.timerService.registerEventTimeTimer(namespace, time);
    } else {
      this.timerService.registerProcessingTimeTimer(namespace, time);
      this.armProcessingTimers();
    }
  }

  private deleteCleanupTimer(window: Window, namespace: string): void {
    const time = this.cleanupTime(window);
    if (time === MAX_WATERMARK) return;
    if (this.isEventTime) this.timerService.deleteEventTimeTimer(namespace, time);
    else this.timerService.deleteProcessingTimeTimer(namespace, time);
  }
}
