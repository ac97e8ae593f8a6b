/**
 * The input of a source task: the source operator at the head of the chain, polled for a batch
 * at a time. It stands between the source and the rest of the chain: records go straight on to
 * the source's output, while the watermarks the source derives go through the task's event path,
 * as a gate's combined watermark does.
 */
import { delay } from '../../common/async.ts';
import type { Output } from '../operators/stream-operator.ts';
import type { SourceOperator } from '../operators/source-operator.ts';
import type { InputEvents, InputStatus, TaskInput } from './task-input.ts';
import type { TaskMetrics } from './task-metrics.ts';

/** Records a source emits per poll. */
const SOURCE_POLL_RECORDS = 1024;

/** Polls a source operator; is the output the source writes to. */
export class SourceInput implements TaskInput, Output {
  /** The source operator, the head of the chain. */
  readonly operator: SourceOperator;
  private events: InputEvents | undefined;

  /**
   * `createSource` builds the source with this input as its output; `output` is where its
   * records and, through the event path, its watermarks go on. `idleCheckMs` (for a source with
   * idleness) is how often to poll while the reader has nothing, so that idle splits are noticed.
   */
  constructor(
    createSource: (output: Output) => SourceOperator,
    private readonly output: Output,
    private readonly metrics: TaskMetrics,
    private readonly idleCheckMs: number | undefined,
  ) {
    this.operator = createSource(this);
  }

  /** Also opens the task's outputs with the source's status: a subtask without splits is idle from the start. */
  start(events: InputEvents): void {
    this.events = events;
    events.announce(this.operator.idle);
  }

  async emitNext(): Promise<InputStatus> {
    const source = this.operator;
    const before = source.read;
    const status = source.poll(SOURCE_POLL_RECORDS);
    this.metrics.recordsIn += source.read - before;
    this.metrics.malformed = source.malformedCount;
    this.started().idleness(source.idle);
    if (status === 'end') {
      source.endOfInput();
      return 'END_OF_INPUT';
    }
    return status === 'nothing' ? 'NOTHING_AVAILABLE' : 'MORE_AVAILABLE';
  }

  whenAvailable(signal: AbortSignal): Promise<void> {
    const available = this.operator.available();
    if (this.idleCheckMs === undefined) return available;
    return Promise.race([available, delay(this.idleCheckMs, signal).catch(() => undefined)]);
  }

  /** Nothing to disconnect: the reader closes with its operator. */
  close(): void {}

  collect(record: unknown, timestamp: number): void {
    this.output.collect(record, timestamp);
  }

  collectSide(tag: string, record: unknown, timestamp: number): void {
    this.output.collectSide(tag, record, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.started().watermark(watermark);
  }

  private started(): InputEvents {
    if (!this.events) throw new Error('the source input was used before its task started it');
    return this.events;
  }
}
