/**
 * The local phase of a window aggregate (see client/api/windowing/local-window-aggregation.ts):
 * chained to the producer, it folds records into one accumulator per key and window in memory and
 * emits them as partials when the watermark ends their window, when the buffer is full, when the
 * task turns idle and at the end of input.
 *
 * A checkpoint barrier does not empty the buffer: the buffered accumulators are operator state,
 * one `split` entry per window, so a checkpoint costs no extra partials downstream (each would be
 * merged into keyed state and recorded by the snapshot). The local phase runs before the keyed
 * exchange, so any subtask may restore any entry; after rescaling, entries of one key and window
 * from several old subtasks merge. Entries are plain values; the checkpoint encodes them in the
 * dialect of keyed state values, so an accumulator comes back as it would from the window
 * operator's state.
 */
import { type AggregateFunction, type KeySelector, type LocalWindowAggregateSpec, TimeWindow, type UnfoldedRecord, type Window, type WindowAssigner, type WindowAssignerContext, windowMaxTimestamp, type WindowPartial } from '../../../client/runtime.ts';
import type { KeyValue } from '../../../common/key-groups.ts';
import { NO_TIMESTAMP } from '../../../common/time.ts';
import { keyId, type KeyId } from '../../state/state-key-layout.ts';
import { AbstractStreamOperator, type UserOperatorSetup } from '../abstract-stream-operator.ts';
import type { OperatorStateSnapshot, RestoredOperatorState } from '../stream-operator.ts';

/** The operator-state list of buffered windows. */
export const LOCAL_WINDOW_PARTIALS_STATE = 'local-window-partials';

/** One buffered window as a snapshot entry holds it. */
type WindowEntry = [start: number, end: number, keys: KeyValue[], accumulators: unknown[], records: number[]];

/** The accumulator of one key in one window. */
interface Slot {
  readonly key: KeyValue;
  accumulator: unknown;
  records: number;
}

/** The buffered accumulators of one window, by key id. */
class WindowBuffer {
  readonly slots = new Map<KeyId, Slot>();
  readonly maxTimestamp: number;

  constructor(readonly window: TimeWindow) {
    this.maxTimestamp = windowMaxTimestamp(window);
  }
}

/** See the module comment. */
export class LocalWindowAggregateOperator extends AbstractStreamOperator {
  /** Partials emitted so far (each replaces the records folded into it on the exchange). */
  partialsEmitted = 0;
  private readonly assigner: WindowAssigner<unknown, Window>;
  private readonly aggregate: AggregateFunction<unknown, unknown, unknown>;
  private readonly keySelector: KeySelector<unknown>;
  private readonly maxEntries: number;
  private readonly assignerContext: WindowAssignerContext;
  /** Buffers by window start (one assigner: one size). */
  private readonly buffers = new Map<number, WindowBuffer>();
  private lastBuffer: WindowBuffer | undefined;
  private entries = 0;

  constructor(setup: UserOperatorSetup, spec: LocalWindowAggregateSpec) {
    super(setup);
    this.assigner = spec.assigner;
    this.aggregate = spec.aggregate;
    this.keySelector = spec.keySelector;
    this.maxEntries = spec.maxEntries;
    this.assignerContext = { currentProcessingTime: () => this.processingTime.now() };
  }

  processElement(record: unknown, timestamp: number): void {
    const key = this.keySelector(record);
    if (timestamp === NO_TIMESTAMP) {
      // The window operator reports the missing timestamp, as it would without this phase.
      this.emitUnfolded(key, record, timestamp);
      return;
    }
    const windows = this.assigner.assignWindows(record, timestamp, this.assignerContext) as readonly TimeWindow[];
    if (!this.allOpen(windows)) {
      this.emitUnfolded(key, record, timestamp);
      return;
    }
    const id = keyId(key);
    const aggregate = this.aggregate;
    for (let i = 0; i < windows.length; i++) {
      const buffer = this.bufferOf(windows[i]!);
      let slot = buffer.slots.get(id);
      if (slot === undefined) {
        slot = { key, accumulator: aggregate.createAccumulator(), records: 0 };
        buffer.slots.set(id, slot);
        this.entries++;
      }
      slot.accumulator = aggregate.add(record, slot.accumulator);
      slot.records++;
    }
    if (this.entries >= this.maxEntries) this.emitHeldRecords();
  }

  override processWatermark(watermark: number): void {
    if (watermark <= this.currentWatermark) return;
    this.currentWatermark = watermark;
    for (const [start, buffer] of this.buffers) {
      if (buffer.maxTimestamp > watermark) continue;
      this.emitBuffer(buffer);
      this.buffers.delete(start);
    }
    if (this.lastBuffer !== undefined && this.lastBuffer.maxTimestamp <= watermark) this.lastBuffer = undefined;
    this.output.emitWatermark(watermark);
  }

  /** Emits every buffered partial. */
  emitHeldRecords(): void {
    for (const buffer of this.buffers.values()) this.emitBuffer(buffer);
    this.buffers.clear();
    this.lastBuffer = undefined;
  }

  /** The buffered accumulators, one entry per window. */
  snapshotState(): OperatorStateSnapshot {
    const entries: WindowEntry[] = [];
    for (const buffer of this.buffers.values()) {
      const size = buffer.slots.size;
      if (size === 0) continue;
      const keys = new Array<KeyValue>(size);
      const accumulators = new Array<unknown>(size);
      const records = new Array<number>(size);
      let i = 0;
      for (const slot of buffer.slots.values()) {
        keys[i] = slot.key;
        accumulators[i] = slot.accumulator;
        records[i] = slot.records;
        i++;
      }
      entries.push([buffer.window.start, buffer.window.end, keys, accumulators, records]);
    }
    return { [LOCAL_WINDOW_PARTIALS_STATE]: { mode: 'split', entries } };
  }

  /** Buffers the accumulators of a snapshot again, merging those of one key and window. */
  initializeState(state: RestoredOperatorState): void {
    for (const entry of state[LOCAL_WINDOW_PARTIALS_STATE] ?? []) {
      const [start, end, keys, accumulators, records] = entry as WindowEntry;
      let buffer = this.buffers.get(start);
      if (buffer === undefined) {
        buffer = new WindowBuffer(TimeWindow.of(start, end));
        this.buffers.set(start, buffer);
      }
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const id = keyId(key);
        const slot = buffer.slots.get(id);
        if (slot === undefined) {
          buffer.slots.set(id, { key, accumulator: accumulators[i], records: records[i]! });
          this.entries++;
        } else {
          slot.accumulator = this.aggregate.merge(slot.accumulator, accumulators[i]);
          slot.records += records[i]!;
        }
      }
    }
  }

  override async finish(): Promise<void> {
    this.emitHeldRecords();
    await super.finish();
  }

  /** Whether the watermark has not reached the end of any of the windows. */
  private allOpen(windows: readonly TimeWindow[]): boolean {
    // The last buffer's window is open: buffers of ended windows are emitted and forgotten.
    const open = this.lastBuffer?.window;
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!;
      if (window !== open && windowMaxTimestamp(window) <= this.currentWatermark) return false;
    }
    return true;
  }

  private bufferOf(window: TimeWindow): WindowBuffer {
    const last = this.lastBuffer;
    if (last !== undefined && last.window === window) return last;
    let buffer = this.buffers.get(window.start);
    if (buffer === undefined) {
      buffer = new WindowBuffer(window);
      this.buffers.set(window.start, buffer);
    }
    this.lastBuffer = buffer;
    return buffer;
  }

  private emitBuffer(buffer: WindowBuffer): void {
    for (const slot of buffer.slots.values()) this.emitPartial(buffer, slot);
    buffer.slots.clear();
  }

  /** Emits one slot's partial (the caller removes the slot). */
  private emitPartial(buffer: WindowBuffer, slot: Slot): void {
    const partial: WindowPartial = [slot.key, buffer.window.start, buffer.window.end, slot.accumulator, slot.records];
    this.output.collect(partial, buffer.maxTimestamp);
    this.partialsEmitted++;
    this.entries--;
  }

  /** Sends a record as it is, after its key's buffered partials (so the key's records stay in order). */
  private emitUnfolded(key: KeyValue, record: unknown, timestamp: number): void {
    const id = keyId(key);
    for (const buffer of this.buffers.values()) {
      const slot = buffer.slots.get(id);
      if (slot === undefined) continue;
      this.emitPartial(buffer, slot);
      buffer.slots.delete(id);
    }
    const unfolded: UnfoldedRecord = [key, record];
    this.output.collect(unfolded, timestamp);
  }
}
