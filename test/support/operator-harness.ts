/**
 * Runs one operator outside a task, the way Flink's operator test harnesses do: records,
 * watermarks and processing time go in by hand; what the operator emits is collected. Keyed
 * operators get real LevelDB state (in a temporary directory) and real timers.
 */
import type { KeySelector, RuntimeContext } from '../../client/api/functions.ts';
import { keyGroupRangeForOperator } from '../../common/key-groups.ts';
import { NO_TIMESTAMP } from '../../common/time.ts';
import type { KeyedSetup, UserOperatorSetup } from '../../taskmanager/operators/abstract-stream-operator.ts';
import type { Output, RestoredOperatorState, StreamOperator } from '../../taskmanager/operators/stream-operator.ts';
import type { Cancellable, ProcessingTimeScheduler } from '../../taskmanager/operators/processing-time-scheduler.ts';
import { runtimeContext } from '../../taskmanager/task/runtime-context.ts';
import { openTestKeyedState, type TestKeyedState } from './test-keyed-state.ts';

/** One emitted record with its timestamp. */
export interface Emitted {
  readonly value: unknown;
  readonly timestamp: number;
}

/** Collects everything an operator emits. */
export class CollectingOutput implements Output {
  readonly records: Emitted[] = [];
  readonly side = new Map<string, Emitted[]>();
  readonly watermarks: number[] = [];

  collect(record: unknown, timestamp: number): void {
    this.records.push({ value: record, timestamp });
  }

  collectSide(tag: string, record: unknown, timestamp: number): void {
    const list = this.side.get(tag) ?? [];
    list.push({ value: record, timestamp });
    this.side.set(tag, list);
  }

  emitWatermark(watermark: number): void {
    this.watermarks.push(watermark);
  }
}

/** A processing-time clock moved by the test. */
export class ManualProcessingTime implements ProcessingTimeScheduler {
  private scheduled: { time: number; callback: () => void; cancelled: boolean }[] = [];

  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  schedule(time: number, callback: () => void): Cancellable {
    const entry = { time, callback, cancelled: false };
    this.scheduled.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  /** Moves the clock to `time`, running due callbacks in time order (and callbacks they schedule). */
  advanceTo(time: number): void {
    this.current = Math.max(this.current, time);
    for (;;) {
      const due = this.scheduled.filter((e) => !e.cancelled && e.time <= this.current).sort((a, b) => a.time - b.time)[0];
      if (!due) break;
      this.scheduled = this.scheduled.filter((e) => e !== due);
      due.callback();
    }
  }
}

/** How to run the operator under test. */
export interface HarnessOptions {
  /** Key selector per logical input; makes the operator keyed. */
  readonly keySelectors?: readonly (KeySelector<unknown> | undefined)[];
  readonly parallelism?: number;
  readonly subtaskIndex?: number;
  readonly maxParallelism?: number;
  /** Start of the processing-time clock. */
  readonly processingTime?: number;
  /** Cache size of the keyed state backend, in entries. */
  readonly cacheEntries?: number;
  /** Operator state to restore (`initializeState`) before `open`, as a restored task would. */
  readonly restoredState?: RestoredOperatorState;
}

/** Drives one operator. */
export class OperatorHarness<O extends StreamOperator = StreamOperator> {
  readonly output = new CollectingOutput();
  /** Actions the operator queued for the task thread; `runMails` runs them. */
  readonly mails: (() => void)[] = [];

  private constructor(
    readonly operator: O,
    readonly clock: ManualProcessingTime,
    readonly context: RuntimeContext,
    private readonly state: TestKeyedState | undefined,
  ) {}

  /** Builds and opens the operator. */
  static async open<O extends StreamOperator>(create: (setup: UserOperatorSetup) => O, options: HarnessOptions = {}): Promise<OperatorHarness<O>> {
    const parallelism = options.parallelism ?? 1;
    const subtaskIndex = options.subtaskIndex ?? 0;
    const maxParallelism = options.maxParallelism ?? 128;
    const keyGroupRange = keyGroupRangeForOperator(maxParallelism, parallelism, subtaskIndex);
    const clock = new ManualProcessingTime(options.processingTime ?? 0);
    let state: TestKeyedState | undefined;
    let keyed: KeyedSetup | undefined;
    if (options.keySelectors) {
      state = await openTestKeyedState({ maxParallelism, keyGroupRange, cacheEntries: options.cacheEntries, clock: () => clock.now() });
      keyed = { backend: state.backend, timers: state.timers, keySelectors: options.keySelectors };
    }
    const context = runtimeContext(
      { jobId: 'test-job', taskName: 'operator under test', operatorId: 'op', subtaskIndex, parallelism, maxParallelism, attempt: 0, keyGroupRange },
      keyed?.backend,
    );
    const harness = new OperatorHarness<O>(undefined as unknown as O, clock, context, state);
    const operator = create({ context, output: harness.output, processingTime: clock, keyed, enqueue: (mail) => harness.mails.push(mail) });
    (harness as { operator: O }).operator = operator;
    if (options.restoredState) operator.initializeState?.(options.restoredState);
    await operator.open();
    return harness;
  }

  /** Feeds one record. */
  processElement(value: unknown, timestamp: number = NO_TIMESTAMP, inputIndex = 0): void {
    this.operator.processElement(value, timestamp, inputIndex);
  }

  /** Feeds a watermark. */
  processWatermark(watermark: number): void {
    this.operator.processWatermark(watermark);
  }

  /** Runs the queued mails (async results, say), as the task loop would between batches. */
  runMails(): number {
    let n = 0;
    while (this.mails.length > 0) {
      this.mails.shift()!();
      n++;
    }
    return n;
  }

  /** Moves processing time, firing due timers. */
  setProcessingTime(time: number): void {
    this.clock.advanceTo(time);
  }

  /** Awaits the operator's batch-boundary work (state writes), as the task does. */
  async flush(): Promise<void> {
    await this.operator.flush?.();
  }

  /** The values emitted on the main output, in order. */
  values<T = unknown>(): T[] {
    return this.output.records.map((r) => r.value as T);
  }

  /** The values emitted on a side output, in order. */
  sideValues<T = unknown>(tag: string): T[] {
    return (this.output.side.get(tag) ?? []).map((r) => r.value as T);
  }

  /** Drops what was collected so far. */
  clearOutput(): void {
    this.output.records.length = 0;
    this.output.side.clear();
    this.output.watermarks.length = 0;
  }

  /** Ends input (final watermark, finish) and closes the operator and its state. */
  async finishAndClose(): Promise<void> {
    this.operator.processWatermark(Number.POSITIVE_INFINITY);
    await this.operator.finish();
    await this.close();
  }

  /** Closes the operator and deletes its state directory. */
  async close(): Promise<void> {
    await this.operator.close();
    await this.state?.dispose();
  }
}
