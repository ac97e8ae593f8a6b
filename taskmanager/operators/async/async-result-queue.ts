/**
 * Holds async requests until their results may leave, and the watermarks between them: in input
 * order (ordered mode) or in completion order within watermark segments (unordered mode, so that
 * no result crosses a watermark, as in Flink's UnorderedStreamElementQueue).
 */
import { Fifo } from './fifo.ts';

/** The queue of one async wait operator. */
export interface AsyncResultQueue<E> {
  /** Records held: in flight, waiting for their key, or completed but not yet emitted. */
  readonly size: number;
  /** Appends a record that just arrived. */
  addRecord(entry: E): void;
  /** Appends a watermark; it leaves once every record before it has left. */
  addWatermark(watermark: number): void;
  /** Marks a record completed; it leaves at a later `drain`, once its turn has come. */
  complete(entry: E): void;
  /** Emits, in output order, every record and watermark that may leave now. */
  drain(onRecord: (entry: E) => void, onWatermark: (watermark: number) => void): void;
}

interface RecordSlot<E> {
  readonly entry: E;
  done: boolean;
}

/** Results leave in input order; watermarks hold their place among them. */
export class OrderedResultQueue<E> implements AsyncResultQueue<E> {
  private readonly slots = new Fifo<RecordSlot<E> | { readonly watermark: number }>();
  private readonly slotOf = new Map<E, RecordSlot<E>>();

  get size(): number {
    return this.slotOf.size;
  }

  addRecord(entry: E): void {
    const slot = { entry, done: false };
    this.slots.push(slot);
    this.slotOf.set(entry, slot);
  }

  addWatermark(watermark: number): void {
    this.slots.push({ watermark });
  }

  complete(entry: E): void {
    const slot = this.slotOf.get(entry);
    if (slot) slot.done = true;
  }

  drain(onRecord: (entry: E) => void, onWatermark: (watermark: number) => void): void {
    for (let head = this.slots.peek(); head; head = this.slots.peek()) {
      if ('watermark' in head) {
        this.slots.shift();
        onWatermark(head.watermark);
        continue;
      }
      if (!head.done) return;
      this.slots.shift();
      this.slotOf.delete(head.entry);
      onRecord(head.entry);
    }
  }
}

/** The records that arrived between two watermarks, and the watermark that closes them. */
interface Segment<E> {
  readonly pending: Set<E>;
  readonly completed: Fifo<E>;
  watermark: number | undefined;
}

/** Results leave as they complete, but only once every record before the previous watermark left. */
export class UnorderedResultQueue<E> implements AsyncResultQueue<E> {
  private readonly segments = new Fifo<Segment<E>>();
  private readonly segmentOf = new Map<E, Segment<E>>();
  private held = 0;

  get size(): number {
    return this.held;
  }

  addRecord(entry: E): void {
    let last = this.segments.last();
    if (!last || last.watermark !== undefined) {
      last = { pending: new Set(), completed: new Fifo(), watermark: undefined };
      this.segments.push(last);
    }
    last.pending.add(entry);
    this.segmentOf.set(entry, last);
    this.held++;
  }

  addWatermark(watermark: number): void {
    const last = this.segments.last();
    if (last && last.watermark === undefined) last.watermark = watermark;
    else this.segments.push({ pending: new Set(), completed: new Fifo(), watermark });
  }

  complete(entry: E): void {
    const segment = this.segmentOf.get(entry);
    if (!segment) return;
    this.segmentOf.delete(entry);
    segment.pending.delete(entry);
    segment.completed.push(entry);
  }

  drain(onRecord: (entry: E) => void, onWatermark: (watermark: number) => void): void {
    for (let head = this.segments.peek(); head; head = this.segments.peek()) {
      while (head.completed.length > 0) {
        const entry = head.completed.shift() as E;
        this.held--;
        onRecord(entry);
      }
      if (head.pending.size > 0 || head.watermark === undefined) return;
      this.segments.shift();
      onWatermark(head.watermark);
    }
  }
}
