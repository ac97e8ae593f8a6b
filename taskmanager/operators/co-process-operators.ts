/** Operators that run co-process functions over two connected streams (`a.connect(b).process(fn)`). */
import type { Collector, CoProcessFunction, KeyedCoProcessFunction, KeyedProcessContext } from '../../client/runtime.ts';
import { AbstractStreamOperator, type UserOperatorSetup } from './abstract-stream-operator.ts';
import { TimestampedCollector } from './timestamped-collector.ts';
import { KeyedUserFunctionOperator } from './process-operators.ts';
import { ProcessContextImpl } from './user-contexts.ts';

/** Either co-process function; both have one method per input with the same shape. */
type TwoInputFunction = Pick<KeyedCoProcessFunction<unknown, unknown, unknown, unknown>, 'processElement1' | 'processElement2'>;

/** Calls the method of `fn` for `inputIndex`. */
function dispatch(fn: TwoInputFunction, inputIndex: number, record: unknown, ctx: KeyedProcessContext<unknown>, out: Collector<unknown>, operator: string): void {
  if (inputIndex === 0) fn.processElement1(record, ctx, out);
  else if (inputIndex === 1) fn.processElement2(record, ctx, out);
  else throw new Error(`${operator}: a co-process operator has no input ${inputIndex}`);
}

/** Runs a CoProcessFunction on two non-keyed streams. */
export class CoProcessOperator extends AbstractStreamOperator {
  private readonly collector: TimestampedCollector;
  private readonly ctx: ProcessContextImpl;

  constructor(
    setup: UserOperatorSetup,
    private readonly fn: CoProcessFunction<unknown, unknown, unknown>,
  ) {
    super(setup, [fn]);
    this.collector = new TimestampedCollector(this.output);
    this.ctx = new ProcessContextImpl(this.output, undefined, undefined, this.context.taskName, () => this.currentWatermark);
  }

  processElement(record: unknown, timestamp: number, inputIndex: number): void {
    this.collector.timestamp = timestamp;
    this.ctx.currentTimestamp = timestamp;
    dispatch(this.fn, inputIndex, record, this.ctx, this.collector, this.context.taskName);
  }
}

/** Runs a KeyedCoProcessFunction: both inputs keyed alike, sharing keyed state and timers. */
export class KeyedCoProcessOperator extends KeyedUserFunctionOperator<KeyedCoProcessFunction<unknown, unknown, unknown, unknown>> {
  constructor(setup: UserOperatorSetup, fn: KeyedCoProcessFunction<unknown, unknown, unknown, unknown>) {
    super(setup, fn, 'a KeyedCoProcessFunction needs two keyed inputs');
  }

  protected invoke(record: unknown, inputIndex: number): void {
    dispatch(this.fn, inputIndex, record, this.ctx, this.collector, this.context.taskName);
  }
}
