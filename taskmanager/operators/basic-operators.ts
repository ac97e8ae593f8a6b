/** The stateless one-input operators: map, filter and flatMap. */
import type { Collector, FilterFunction, FlatMapFunction, MapFunction, RuntimeContext } from '../../client/api/functions.ts';
import type { Output, OperatorSetup, StreamOperator } from './stream-operator.ts';

/** Base of operators that hold nothing and need no lifecycle work. */
abstract class StatelessOperator implements StreamOperator {
  protected readonly output: Output;
  protected readonly context: RuntimeContext;
  constructor(setup: OperatorSetup) {
    this.output = setup.output;
    this.context = setup.context;
  }
  abstract processElement(record: unknown): void;
  async open(): Promise<void> {}
  async finish(): Promise<void> {}
  async close(): Promise<void> {}
}

/** Applies a MapFunction. */
export class MapOperator extends StatelessOperator {
  constructor(
    setup: OperatorSetup,
    private readonly fn: MapFunction<unknown, unknown>,
  ) {
    super(setup);
  }
  processElement(record: unknown): void {
    this.output.collect(this.fn(record, this.context));
  }
}

/** Applies a FilterFunction. */
export class FilterOperator extends StatelessOperator {
  constructor(
    setup: OperatorSetup,
    private readonly fn: FilterFunction<unknown>,
  ) {
    super(setup);
  }
  processElement(record: unknown): void {
    if (this.fn(record, this.context)) this.output.collect(record);
  }
}

/** Applies a FlatMapFunction, handing it the output as its collector. */
export class FlatMapOperator extends StatelessOperator {
  private readonly collector: Collector<unknown>;
  constructor(
    setup: OperatorSetup,
    private readonly fn: FlatMapFunction<unknown, unknown>,
  ) {
    super(setup);
    this.collector = setup.output;
  }
  processElement(record: unknown): void {
    this.fn(record, this.collector, this.context);
  }
}
