/** Count windows: `KeyedStream.countWindow(size[, slide])`, built from global windows and a count trigger. */
import type { KeyValue } from '../../common/key-groups.ts';
import type { StreamInput } from './stream-input.ts';
import type { WindowedStream } from './streams.ts';
import { WindowedStreamImpl } from './windowed-stream.ts';
import type { GlobalWindow } from './windowing/global-window.ts';
import { GlobalWindows } from './windowing/global-windows.ts';
import { CountTrigger } from './windowing/triggers/count-trigger.ts';
import { PurgingTrigger } from './windowing/triggers/purging-trigger.ts';
import { checkPositiveInteger } from './windowing/window-assigner.ts';

/**
 * Tumbling count windows (every `size` elements of a key, then purge) or, with `slide`, sliding
 * ones (every `slide` elements, over the last `size`), as in Flink, over the keyed stream `input`.
 */
export function countWindow<T, K extends KeyValue>(input: StreamInput<T>, size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
  checkPositiveInteger('the size of count windows', size);
  if (slide === undefined) {
    return new WindowedStreamImpl<T, K, GlobalWindow>(input, GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(size)));
  }
  checkPositiveInteger('the slide of count windows', slide);
  return new WindowedStreamImpl<T, K, GlobalWindow>(input, GlobalWindows.create(), size).trigger(CountTrigger.of(slide));
}
