/**
 * word-count: reads `in` (JSONL `{text}`), lowercases each text and splits it into words (runs of
 * Unicode letters and digits), keeps a running count per word in keyed state, and at end of input
 * emits one `{word, count}` per word to `out`.
 */
import {
  defineJob,
  MALFORMED,
  MAX_WATERMARK,
  ValueStateDescriptor,
  type Collector,
  type KeyedProcessContext,
  type KeyedProcessFunction,
  type OnTimerContext,
  type RuntimeContext,
  type ValueState,
} from 'sluice';

/** A word: a run of Unicode letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;

/** The output record. */
interface WordCount {
  word: string;
  count: number;
}

/** Why a record has no usable text, or undefined when it has. */
function invalidText(record: Record<string, unknown>): string | undefined {
  const text = record.text;
  if (typeof text === 'string') return undefined;
  return `text must be a string, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`;
}

/**
 * Counts one word in keyed state. The first occurrence registers an event-time timer at the end
 * of time, which fires once, when end of input brings the final watermark.
 */
class CountWords implements KeyedProcessFunction<string, string, WordCount> {
  private count!: ValueState<number>;

  open(ctx: RuntimeContext): void {
    this.count = ctx.getState(new ValueStateDescriptor<number>('count'));
  }

  processElement(_word: string, ctx: KeyedProcessContext<string>, _out: Collector<WordCount>): void {
    const current = this.count.value();
    if (current === undefined) ctx.timerService().registerEventTimeTimer(MAX_WATERMARK);
    this.count.update((current ?? 0) + 1);
  }

  onTimer(_timestamp: number, ctx: OnTimerContext<string>, out: Collector<WordCount>): void {
    out.collect({ word: ctx.getCurrentKey(), count: this.count.value() ?? 0 });
  }
}

export default defineJob({
  name: 'word-count',
  build(env, args) {
    const lines = env.fromSource(args.source('in', { validate: invalidText }), 'in');
    const malformed = args.optionalSink('malformed');
    if (malformed) lines.getSideOutput(MALFORMED).sinkTo(malformed).name('malformed');
    lines
      .flatMap<string>((record, out) => {
        for (const match of (record.text as string).toLowerCase().matchAll(WORD)) out.collect(match[0]);
      })
      .name('split')
      .keyBy((word) => word)
      .process(new CountWords())
      .name('count')
      .sinkTo(args.sink('out'))
      .name('out');
  },
});
