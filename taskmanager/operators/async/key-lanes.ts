/**
 * Per-key ordering of async requests (`orderedByKey`): one request per key runs at a time; the
 * others of that key wait behind it in arrival order, while other keys proceed.
 */
import type { KeyId } from '../../state/state-key-layout.ts';
import { Fifo } from './fifo.ts';

/** The waiting lines of requests, one per key that has a request in flight. */
export class KeyLanes<E> {
  private readonly lanes = new Map<KeyId, Fifo<E>>();

  /** Lines `entry` up behind the earlier requests of `key`; true when it is first and may start now. */
  enter(key: KeyId, entry: E): boolean {
    const lane = this.lanes.get(key);
    if (lane) {
      lane.push(entry);
      return false;
    }
    const fresh = new Fifo<E>();
    fresh.push(entry);
    this.lanes.set(key, fresh);
    return true;
  }

  /** The running request of `key` completed: removes it and returns the next one to start, if any. */
  leave(key: KeyId): E | undefined {
    const lane = this.lanes.get(key);
    if (!lane) return undefined;
    lane.shift();
    if (lane.length > 0) return lane.peek();
    this.lanes.delete(key);
    return undefined;
  }
}
