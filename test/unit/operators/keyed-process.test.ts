/**
 * KeyedProcessOperator on real LevelDB state: per-key state, event- and processing-time timers
 * firing in order, deleted timers staying silent, side outputs, timestamps of what is emitted, and
 * the runtime context `open` receives.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector, KeyedProcessContext, KeyedProcessFunction, OnTimerContext, RuntimeContext } from '../../../client/api/functions.ts';
import { OutputTag } from '../../../client/api/functions.ts';
import { ValueStateDescriptor, type ValueState } from '../../../client/api/state.ts';
import { NO_TIMESTAMP } from '../../../common/time.ts';
import { KeyedProcessOperator } from '../../../taskmanager/operators/process-operators.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';

interface Event {
  key: string;
  ts: number;
  action?: 'delete' | 'late';
}

const LATE = new OutputTag<Event>('late');

/** Sums events per key; registers a timer at ts + 10 per event, deletes it on request. */
class Recorder implements KeyedProcessFunction<string, Event, string> {
  seen!: ValueState<number>;
  openedWith: RuntimeContext | undefined;

  open(ctx: RuntimeContext): void {
    this.openedWith = ctx;
    this.seen = ctx.getState(new ValueStateDescriptor<number>('seen', { defaultValue: 0 }));
  }

  processElement(e: Event, ctx: KeyedProcessContext<string>, out: Collector<string>): void {
    if (e.action === 'late') {
      ctx.output(LATE, e);
      return;
    }
    if (e.action === 'delete') {
      ctx.timerService().deleteEventTimeTimer(e.ts + 10);
      return;
    }
    this.seen.update(this.seen.value()! + 1);
    ctx.timerService().registerEventTimeTimer(e.ts + 10);
    out.collect(`in:${ctx.getCurrentKey()}:${ctx.timestamp()}`);
  }

  onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.timeDomain()}:${ctx.getCurrentKey()}@${timestamp}:${this.seen.value()}`);
  }
}

describe('KeyedProcessOperator', () => {
  let harness: OperatorHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('gives open() the subtask, parallelism and owned key-group range', async () => {
    const fn = new Recorder();
    harness = await OperatorHarness.open((setup) => new KeyedProcessOperator(setup, fn as never), { keySelectors: [(e) => (e as Event).key], parallelism: 2, subtaskIndex: 1 });
    expect(fn.openedWith?.subtaskIndex).toBe(1);
    expect(fn.openedWith?.parallelism).toBe(2);
    expect(fn.openedWith?.maxParallelism).toBe(128);
    expect(fn.openedWith?.keyGroupRange).toEqual({ start: 64, end: 127 });
  });

  it('keeps state per key and fires event-time timers in timestamp order, each once', async () => {
    const fn = new Recorder();
    harness = await OperatorHarness.open((setup) => new KeyedProcessOperator(setup, fn as never), { keySelectors: [(e) => (e as Event).key] });
    harness.processElement({ key: 'a', ts: 30 }, 30);
    harness.processElement({ key: 'b', ts: 20 }, 20);
    harness.processElement({ key: 'a', ts: 30 }, 30);
    harness.processElement({ key: 'c', ts: 5 }, 5);
    harness.processElement({ key: 'c', ts: 50 }, 50);
    harness.processElement({ key: 'c', ts: 50, action: 'delete' }, 50);
    expect(harness.values()).toEqual(['in:a:30', 'in:b:20', 'in:a:30', 'in:c:5', 'in:c:50']);
    harness.clearOutput();
    harness.processWatermark(14);
    expect(harness.values()).toEqual([]);
    harness.processWatermark(15);
    expect(harness.values()).toEqual(['EVENT_TIME:c@15:2']);
    harness.clearOutput();
    harness.processWatermark(100);
    expect(harness.values()).toEqual(['EVENT_TIME:b@30:1', 'EVENT_TIME:a@40:2']);
    expect(harness.output.records.map((r) => r.timestamp)).toEqual([30, 40]);
    harness.clearOutput();
    harness.processWatermark(200);
    expect(harness.values()).toEqual([]);
    expect(harness.output.watermarks).toEqual([200]);
  });

  it('keeps deleted timers silent, sends side outputs, and fires processing-time timers', async () => {
    const fired: string[] = [];
    const fn: KeyedProcessFunction<string, Event, string> = {
      processElement(e, ctx, out) {
        if (e.action === 'late') return ctx.output(LATE, e);
        if (e.action === 'delete') return ctx.timerService().deleteProcessingTimeTimer(e.ts);
        ctx.timerService().registerProcessingTimeTimer(e.ts);
        out.collect(e.key);
      },
      onTimer(ts, ctx) {
        fired.push(`${ctx.timeDomain()}:${ctx.getCurrentKey()}@${ts}:${String(ctx.timestamp())}`);
      },
    };
    harness = await OperatorHarness.open((setup) => new KeyedProcessOperator(setup, fn as never), { keySelectors: [(e) => (e as Event).key], processingTime: 1000 });
    harness.processElement({ key: 'x', ts: 1500 });
    harness.processElement({ key: 'y', ts: 1200 });
    harness.processElement({ key: 'z', ts: 1300 });
    harness.processElement({ key: 'z', ts: 1300, action: 'delete' });
    harness.processElement({ key: 'y', ts: 0, action: 'late' }, 5);
    expect(harness.output.side.get('late')).toEqual([{ value: { key: 'y', ts: 0, action: 'late' }, timestamp: 5 }]);
    harness.setProcessingTime(1250);
    expect(fired).toEqual(['PROCESSING_TIME:y@1200:undefined']);
    harness.setProcessingTime(5000);
    expect(fired).toEqual(['PROCESSING_TIME:y@1200:undefined', 'PROCESSING_TIME:x@1500:undefined']);
    expect(harness.output.records.every((r) => r.timestamp === NO_TIMESTAMP)).toBe(true);
  });

  it('keeps state correct when the cache is far smaller than the keys', async () => {
    const fn = new Recorder();
    harness = await OperatorHarness.open((setup) => new KeyedProcessOperator(setup, fn as never), { keySelectors: [(e) => (e as Event).key], cacheEntries: 16 });
    for (let round = 1; round <= 3; round++) {
      for (let k = 0; k < 500; k++) harness.processElement({ key: `k${k}`, ts: 1 }, round);
      await harness.flush();
    }
    harness.clearOutput();
    harness.processWatermark(1000);
    const counts = harness.values<string>().map((v) => Number(v.split(':').pop()));
    expect(counts).toHaveLength(500);
    expect(new Set(counts)).toEqual(new Set([3]));
  });
});
