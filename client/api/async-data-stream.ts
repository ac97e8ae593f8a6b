/** Async I/O, like Flink's AsyncDataStream: enrich records through asynchronous calls. */
import type { AsyncFunction } from './async-function.ts';
import { asyncWaitSpec, type AsyncWaitOptions, type UnorderedAsyncWaitOptions } from './async-wait-options.ts';
import { implementationOf, KeyedStreamImpl } from './data-stream.ts';
import type { KeySelector } from './functions.ts';
import type { DataStream } from './streams.ts';

/**
 * Applies an AsyncFunction to a stream with many requests in flight at once. Results keep the
 * timestamp of their input record; watermarks never overtake records that arrived before them.
 */
export class AsyncDataStream {
  private constructor() {}

  /** Emits results in input order: a completed request waits for the earlier ones. */
  static orderedWait<IN, OUT>(stream: DataStream<IN>, fn: AsyncFunction<IN, OUT>, options: AsyncWaitOptions<IN> = {}): DataStream<OUT> {
    const spec = asyncWaitSpec('ordered', options, undefined);
    return implementationOf(stream).addOperator<OUT>('asyncWait', 'Async Wait (ordered)', { fn, spec });
  }

  /**
   * Emits results as they complete, except that they never cross a watermark, and (with
   * `orderedByKey`) records of one key keep their order.
   */
  static unorderedWait<IN, OUT>(stream: DataStream<IN>, fn: AsyncFunction<IN, OUT>, options: UnorderedAsyncWaitOptions<IN> = {}): DataStream<OUT> {
    const spec = asyncWaitSpec('unordered', options, keyOfOrdering(stream, options.orderedByKey));
    return implementationOf(stream).addOperator<OUT>('asyncWait', 'Async Wait (unordered)', { fn, spec });
  }
}

function keyOfOrdering<IN>(stream: DataStream<IN>, orderedByKey: UnorderedAsyncWaitOptions<IN>['orderedByKey']): KeySelector<unknown> | undefined {
  if (orderedByKey === undefined) return undefined;
  if (orderedByKey !== true) return orderedByKey as KeySelector<unknown>;
  if (!(stream instanceof KeyedStreamImpl)) throw new Error('async I/O: orderedByKey: true needs a keyed stream (apply keyBy first) or a key function');
  return stream.keySelector as KeySelector<unknown>;
}
