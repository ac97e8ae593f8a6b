/** The broadcast state pattern: BroadcastProcessOperator and KeyedBroadcastProcessOperator. */
import { describe, expect, it } from 'vitest';
import {
  ListStateDescriptor,
  MapStateDescriptor,
  OutputTag,
  type BroadcastContext,
  type BroadcastProcessFunction,
  type BroadcastState,
  type Collector,
  type KeyedBroadcastOnTimerContext,
  type KeyedBroadcastProcessFunction,
  type KeyedReadOnlyBroadcastContext,
  type ListState,
  type ReadOnlyBroadcastContext,
  type RuntimeContext,
} from '../../../client/index.ts';
import { BroadcastProcessOperator, KeyedBroadcastProcessOperator } from '../../../taskmanager/operators/broadcast-process-operators.ts';
import type { UserOperatorSetup } from '../../../taskmanager/operators/abstract-stream-operator.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';

/** A threshold rule, or its deletion. */
type RuleChange = { op: 'upsert'; name: string; max: number } | { op: 'delete'; name: string };
interface Reading {
  sensor: string;
  value: number;
}

const RULES = new MapStateDescriptor<string, number>('rules');
const NO_RULES = new OutputTag<Reading>('no-rules');

/** Applies rule changes to the broadcast state. */
function applyRule(change: RuleChange, ctx: BroadcastContext): void {
  const rules = ctx.getBroadcastState(RULES);
  if (change.op === 'upsert') rules.put(change.name, change.max);
  else rules.remove(change.name);
}

/** Emits one alert per rule a reading breaks; readings seen before any rule go to a side output. */
class ThresholdAlerts implements BroadcastProcessFunction<Reading, RuleChange, string> {
  processElement(reading: Reading, ctx: ReadOnlyBroadcastContext, out: Collector<string>): void {
    const rules = ctx.getBroadcastState(RULES);
    if (rules.size() === 0) {
      ctx.output(NO_RULES, reading);
      return;
    }
    for (const [name, max] of rules.entries()) if (reading.value > max) out.collect(`${reading.sensor} breaks ${name}`);
  }

  processBroadcastElement(change: RuleChange, ctx: BroadcastContext): void {
    applyRule(change, ctx);
  }
}

function broadcastOperator(fn: BroadcastProcessFunction<Reading, RuleChange, string>) {
  return (setup: UserOperatorSetup) => new BroadcastProcessOperator(setup, fn as BroadcastProcessFunction<unknown, unknown, unknown>, { descriptors: [RULES] });
}

describe('BroadcastProcessOperator', () => {
  it('evaluates elements against rules, and rule updates and deletions take effect', async () => {
    const h = await OperatorHarness.open(broadcastOperator(new ThresholdAlerts()));
    h.processElement({ sensor: 's1', value: 100 }, 1, 0);
    expect(h.sideValues(NO_RULES.id)).toEqual([{ sensor: 's1', value: 100 }]);

    h.processElement({ op: 'upsert', name: 'hot', max: 50 }, 2, 1);
    h.processElement({ op: 'upsert', name: 'very-hot', max: 90 }, 3, 1);
    h.processElement({ sensor: 's1', value: 60 }, 4, 0);
    h.processElement({ sensor: 's2', value: 95 }, 5, 0);
    expect(h.values()).toEqual(['s1 breaks hot', 's2 breaks hot', 's2 breaks very-hot']);
    expect(h.output.records.map((r) => r.timestamp)).toEqual([4, 5, 5]);

    h.clearOutput();
    h.processElement({ op: 'upsert', name: 'hot', max: 70 }, 6, 1);
    h.processElement({ op: 'delete', name: 'very-hot' }, 7, 1);
    h.processElement({ sensor: 's1', value: 60 }, 8, 0);
    h.processElement({ sensor: 's2', value: 95 }, 9, 0);
    expect(h.values()).toEqual(['s2 breaks hot']);

    h.processElement({ op: 'delete', name: 'hot' }, 10, 1);
    h.processElement({ sensor: 's3', value: 1 }, 11, 0);
    expect(h.sideValues(NO_RULES.id)).toEqual([{ sensor: 's3', value: 1 }]);
    await h.finishAndClose();
  });

  it('gives processElement a read-only view whose mutators throw', async () => {
    const attempts: string[] = [];
    const fn: BroadcastProcessFunction<string, string, never> = {
      processElement(_v, ctx) {
        const state = ctx.getBroadcastState(RULES) as unknown as BroadcastState<string, number>;
        for (const mutate of [() => state.put('x', 1), () => state.remove('a'), () => state.clear(), () => state.putAll([['y', 2]])]) {
          try {
            mutate();
            attempts.push('allowed');
          } catch (error) {
            attempts.push((error as Error).message);
          }
        }
        expect(ctx.getBroadcastState(RULES).entries()).toEqual([['a', 1]]);
      },
      processBroadcastElement(_v, ctx) {
        ctx.getBroadcastState(RULES).put('a', 1);
      },
    };
    const h = await OperatorHarness.open((setup) => new BroadcastProcessOperator(setup, fn as BroadcastProcessFunction<unknown, unknown, unknown>, { descriptors: [RULES] }));
    h.processElement('rule', 0, 1);
    h.processElement('element', 0, 0);
    expect(attempts).toHaveLength(4);
    for (const message of attempts) expect(message).toMatch(/broadcast state "rules" is read-only in processElement/);
    await h.close();
  });

  it('hands out copies from entries(), so that callers cannot change the state through them', async () => {
    let seen: [string, number][] = [];
    const fn: BroadcastProcessFunction<string, string, never> = {
      processElement(_v, ctx) {
        const entries = ctx.getBroadcastState(RULES).entries();
        entries.push(['sneaky', 0]);
        seen = ctx.getBroadcastState(RULES).entries();
      },
      processBroadcastElement(v, ctx) {
        ctx.getBroadcastState(RULES).put(v, v.length);
      },
    };
    const h = await OperatorHarness.open((setup) => new BroadcastProcessOperator(setup, fn as BroadcastProcessFunction<unknown, unknown, unknown>, { descriptors: [RULES] }));
    h.processElement('abc', 0, 1);
    h.processElement('x', 0, 0);
    expect(seen).toEqual([['abc', 3]]);
    await h.close();
  });

  it('refuses a descriptor that was not declared in broadcast(...)', async () => {
    const other = new MapStateDescriptor<string, string>('other');
    const fn: BroadcastProcessFunction<string, string, never> = {
      processElement(_v, ctx) {
        ctx.getBroadcastState(other);
      },
      processBroadcastElement(_v, ctx) {
        ctx.getBroadcastState(other);
      },
    };
    const h = await OperatorHarness.open((setup) => new BroadcastProcessOperator(setup, fn as BroadcastProcessFunction<unknown, unknown, unknown>, { descriptors: [RULES] }));
    expect(() => h.processElement('b', 0, 1)).toThrow(/"other" was not declared/);
    expect(() => h.processElement('e', 0, 0)).toThrow(/"other" was not declared/);
    await h.close();
  });

  it('snapshots and restores the broadcast state', async () => {
    const first = await OperatorHarness.open(broadcastOperator(new ThresholdAlerts()));
    first.processElement({ op: 'upsert', name: 'hot', max: 50 }, 1, 1);
    first.processElement({ op: 'upsert', name: 'cold', max: -10 }, 2, 1);
    const snapshot = first.operator.snapshotBroadcastState();
    expect(snapshot).toEqual({ rules: [['hot', 50], ['cold', -10]] });
    // The snapshot is a copy: later changes do not leak into it.
    first.processElement({ op: 'delete', name: 'hot' }, 3, 1);
    expect(snapshot.rules).toHaveLength(2);
    await first.close();

    const second = await OperatorHarness.open(broadcastOperator(new ThresholdAlerts()));
    second.operator.restoreBroadcastState(snapshot);
    second.processElement({ sensor: 's', value: 60 }, 4, 0);
    expect(second.values()).toEqual(['s breaks hot', 's breaks cold']);
    expect(second.operator.snapshotBroadcastState()).toEqual(snapshot);
    await second.close();
  });

  it('keeps equal copies on every subtask, since each receives every broadcast element', async () => {
    const subtasks = await Promise.all([0, 1].map((subtaskIndex) => OperatorHarness.open(broadcastOperator(new ThresholdAlerts()), { parallelism: 2, subtaskIndex })));
    const changes: RuleChange[] = [
      { op: 'upsert', name: 'a', max: 1 },
      { op: 'upsert', name: 'b', max: 2 },
      { op: 'delete', name: 'a' },
    ];
    for (const h of subtasks) for (const c of changes) h.processElement(c, 0, 1);
    expect(subtasks[0]!.operator.snapshotBroadcastState()).toEqual(subtasks[1]!.operator.snapshotBroadcastState());
    expect(subtasks[0]!.operator.snapshotBroadcastState()).toEqual({ rules: [['b', 2]] });
    for (const h of subtasks) await h.close();
  });

  it('exposes timestamps and the watermark to both sides', async () => {
    const seen: string[] = [];
    const fn: BroadcastProcessFunction<string, string, never> = {
      processElement(v, ctx) {
        seen.push(`${v}:${ctx.timestamp()}:${ctx.currentWatermark()}:${ctx.currentProcessingTime()}`);
      },
      processBroadcastElement(v, ctx) {
        seen.push(`${v}:${ctx.timestamp()}:${ctx.currentWatermark()}`);
      },
    };
    const h = await OperatorHarness.open((setup) => new BroadcastProcessOperator(setup, fn as BroadcastProcessFunction<unknown, unknown, unknown>, { descriptors: [] }), {
      processingTime: 7,
    });
    h.processElement('b', undefined, 1);
    h.processWatermark(20);
    h.processElement('e', 25, 0);
    expect(seen).toEqual(['b:undefined:-Infinity', 'e:25:20:7']);
    await h.close();
  });
});

/** An inventory record of one SKU. */
interface Stock {
  sku: string;
  qty: number;
}

const MIN_QTY = new MapStateDescriptor<string, number>('min-qty');

/**
 * Alerts when a SKU's stock falls below its rule's minimum. Stock that arrives before its rule is
 * kept in keyed state and re-checked by an event-time timer 1 s later.
 */
class LowStockAlerts implements KeyedBroadcastProcessFunction<string, Stock, RuleChange, string> {
  private pending!: ListState<Stock>;

  open(context: RuntimeContext): void {
    this.pending = context.getListState(new ListStateDescriptor<Stock>('pending'));
  }

  processElement(stock: Stock, ctx: KeyedReadOnlyBroadcastContext<string>, out: Collector<string>): void {
    const min = ctx.getBroadcastState(MIN_QTY).get(ctx.getCurrentKey());
    if (min === undefined) {
      this.pending.add(stock);
      ctx.timerService().registerEventTimeTimer(ctx.timestamp()! + 1000);
      return;
    }
    if (stock.qty < min) out.collect(`${stock.sku} low: ${stock.qty} < ${min}`);
  }

  processBroadcastElement(change: RuleChange, ctx: BroadcastContext): void {
    const rules = ctx.getBroadcastState(MIN_QTY);
    if (change.op === 'upsert') rules.put(change.name, change.max);
    else rules.remove(change.name);
  }

  onTimer(timestamp: number, ctx: KeyedBroadcastOnTimerContext<string>, out: Collector<string>): void {
    const min = ctx.getBroadcastState(MIN_QTY).get(ctx.getCurrentKey());
    const pending = this.pending.get();
    this.pending.clear();
    for (const stock of pending) {
      if (min === undefined) out.collect(`${stock.sku} has no rule (${ctx.timeDomain()} ${timestamp})`);
      else if (stock.qty < min) out.collect(`${stock.sku} low: ${stock.qty} < ${min} (late rule)`);
    }
  }
}

describe('KeyedBroadcastProcessOperator', () => {
  const keySelectors = [(s: unknown) => (s as Stock).sku, undefined];
  const create = (fn: KeyedBroadcastProcessFunction<string, Stock, RuleChange, string>) => (setup: UserOperatorSetup) =>
    new KeyedBroadcastProcessOperator(setup, fn as KeyedBroadcastProcessFunction<unknown, unknown, unknown, unknown>, { descriptors: [MIN_QTY] });

  it('evaluates keyed elements against broadcast rules, with keyed state and timers for elements before their rule', async () => {
    const h = await OperatorHarness.open(create(new LowStockAlerts()), { keySelectors });
    h.processElement({ sku: 'apple', qty: 3 }, 1000, 0);
    h.processElement({ sku: 'pear', qty: 1 }, 1000, 0);
    expect(h.values()).toEqual([]);

    h.processElement({ op: 'upsert', name: 'apple', max: 5 }, 1100, 1);
    h.processElement({ sku: 'apple', qty: 4 }, 1200, 0);
    h.processElement({ sku: 'apple', qty: 9 }, 1300, 0);
    expect(h.values()).toEqual(['apple low: 4 < 5']);

    h.processWatermark(2000);
    expect(h.values()).toEqual(['apple low: 4 < 5', 'apple low: 3 < 5 (late rule)', 'pear has no rule (EVENT_TIME 2000)']);
    expect(h.output.records.slice(1).map((r) => r.timestamp)).toEqual([2000, 2000]);

    h.clearOutput();
    h.processElement({ op: 'upsert', name: 'apple', max: 2 }, 2100, 1);
    h.processElement({ op: 'delete', name: 'pear' }, 2100, 1);
    h.processElement({ sku: 'apple', qty: 1 }, 2200, 0);
    h.processElement({ sku: 'apple', qty: 3 }, 2200, 0);
    expect(h.values()).toEqual(['apple low: 1 < 2']);
    expect(h.operator.snapshotBroadcastState()).toEqual({ 'min-qty': [['apple', 2]] });
    await h.finishAndClose();
  });

  it('keeps broadcast state read-only on the keyed side, in onTimer too', async () => {
    const errors: string[] = [];
    const fn: KeyedBroadcastProcessFunction<string, Stock, RuleChange, string> = {
      processElement(stock, ctx) {
        ctx.timerService().registerEventTimeTimer(10);
        try {
          (ctx.getBroadcastState(MIN_QTY) as unknown as BroadcastState<string, number>).put(stock.sku, 0);
        } catch (error) {
          errors.push((error as Error).message);
        }
      },
      processBroadcastElement() {},
      onTimer(_ts, ctx) {
        try {
          (ctx.getBroadcastState(MIN_QTY) as unknown as BroadcastState<string, number>).clear();
        } catch (error) {
          errors.push((error as Error).message);
        }
      },
    };
    const h = await OperatorHarness.open(create(fn), { keySelectors });
    h.processElement({ sku: 'a', qty: 1 }, 1, 0);
    h.processWatermark(10);
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e).toMatch(/read-only/);
    expect(h.operator.snapshotBroadcastState()).toEqual({ 'min-qty': [] });
    await h.close();
  });

  it('needs a keyed element input', async () => {
    await expect(OperatorHarness.open(create(new LowStockAlerts()))).rejects.toThrow(/keyed stream/);
  });
});
