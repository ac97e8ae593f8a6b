/** The windowed stream API: the 'window' node and the spec it carries. */
import { describe, expect, it } from 'vitest';
import { fromCollection } from '../../../connectors/index.ts';
import { StreamExecutionEnvironment } from '../../../client/api/environment.ts';
import { OutputTag } from '../../../client/api/functions.ts';
import type { WindowSpec } from '../../../client/api/windowing/window-spec.ts';
import { GlobalWindows } from '../../../client/api/windowing/global-windows.ts';
import { EventTimeSessionWindows } from '../../../client/api/windowing/session-windows.ts';
import { TumblingEventTimeWindows } from '../../../client/api/windowing/tumbling-windows.ts';
import { CountTrigger } from '../../../client/api/windowing/triggers/count-trigger.ts';
import { EventTimeTrigger } from '../../../client/api/windowing/triggers/event-time-trigger.ts';
import { PurgingTrigger } from '../../../client/api/windowing/triggers/purging-trigger.ts';
import { TriggerResult, type Trigger } from '../../../client/api/windowing/triggers/trigger.ts';
import { windowNode } from './window-fixture.ts';

interface Event {
  key: string;
  v: number;
}

function keyed() {
  const env = new StreamExecutionEnvironment();
  return { env, stream: env.fromSource(fromCollection<Event>([])).keyBy((e) => e.key) };
}

describe('WindowedStream', () => {
  it('adds a keyed window node whose spec carries assigner, trigger, lateness, late tag and function', () => {
    const { env, stream } = keyed();
    const reduce = (x: Event, y: Event): Event => ({ key: x.key, v: x.v + y.v });
    stream.window(TumblingEventTimeWindows.of(1_000)).allowedLateness(500).sideOutputLateData(new OutputTag<Event>('late')).reduce(reduce);
    const node = windowNode(env);
    const spec = node.spec as WindowSpec;
    expect(node.name).toBe('Window(TumblingEventTimeWindows(1000), EventTimeTrigger, Reduce)');
    expect(node.inputs[0]?.partitioning).toBe('hash');
    expect(spec.trigger).toBe(EventTimeTrigger.create());
    expect(spec.allowedLateness).toBe(500);
    expect(spec.lateDataTag).toBe('late');
    expect(spec.fn).toEqual({ kind: 'reduce', reduce, process: undefined });
    expect(spec.evictToCount).toBeUndefined();
  });

  it('countWindow: global windows with a purging count trigger, or a count trigger and eviction', () => {
    const { env, stream } = keyed();
    stream.countWindow(5).process({ process() {} });
    const tumbling = windowNode(env).spec as WindowSpec;
    expect(tumbling.assigner).toBeInstanceOf(GlobalWindows);
    expect(String(tumbling.trigger)).toBe('PurgingTrigger(CountTrigger(5))');
    stream.countWindow(5, 2).aggregate({ createAccumulator: () => 0, add: (_e: Event, n: number) => n + 1, getResult: (n) => n, merge: (a, b) => a + b });
    const sliding = windowNode(env).spec as WindowSpec;
    expect(sliding.trigger).toBeInstanceOf(CountTrigger);
    expect(sliding.evictToCount).toBe(5);
    expect(sliding.fn.kind).toBe('aggregate');
  });

  it('rejects triggers that cannot merge on session windows, and bad lateness', () => {
    const { stream } = keyed();
    const plain: Trigger<unknown, never> = {
      onElement: () => TriggerResult.FIRE,
      onEventTime: () => TriggerResult.CONTINUE,
      onProcessingTime: () => TriggerResult.CONTINUE,
      clear: () => {},
    };
    const sessions = stream.window(EventTimeSessionWindows.withGap(10));
    expect(() => sessions.trigger(plain)).toThrow(/merging/);
    expect(() => sessions.trigger(PurgingTrigger.of(plain))).toThrow(/merging/);
    expect(() => sessions.trigger(PurgingTrigger.of(CountTrigger.of(2)))).not.toThrow();
    expect(() => sessions.allowedLateness(-1)).toThrow(/lateness/);
  });
});
