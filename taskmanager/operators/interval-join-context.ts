/** The context handed to a ProcessJoinFunction; one instance per operator, updated per pair. */
import type { OutputTag, ProcessJoinContext } from '../../client/runtime.ts';
import type { Output } from './stream-operator.ts';

/** See the module comment. */
export class ProcessJoinContextImpl implements ProcessJoinContext {
  /** Event time of the left record of the pair being handled. */
  left = 0;
  /** Event time of the right record of the pair being handled. */
  right = 0;

  constructor(private readonly out: Output) {}

  leftTimestamp(): number {
    return this.left;
  }

  rightTimestamp(): number {
    return this.right;
  }

  timestamp(): number {
    return Math.max(this.left, this.right);
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSide(tag.id, value, this.timestamp());
  }
}
