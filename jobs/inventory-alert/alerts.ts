/**
 * The alert node, keyed by `sku_id`: keeps each SKU's current level and
 * emits an alert when it changes. A SKU starts at `NONE`; a change to `NONE` is `RECOVERED`.
 */
import { ValueStateDescriptor, type Collector, type KeyedProcessContext, type KeyedProcessFunction, type RuntimeContext, type ValueState } from 'sluice';
import type { Evaluated } from './inputs.ts';
import { priorityOf, type Level } from './rules.ts';

/** An `alerts` line. */
export interface Alert {
  ts: number;
  sku_id: number;
  vender_id: number;
  level: 'LOW_STOCK' | 'OUT_OF_STOCK' | 'RECOVERED';
  total_qty: number;
  threshold: number | null;
  rule: 'sku' | 'cate_brand' | null;
  pv_5m: number;
  priority: 'P1' | 'P2';
}

/** What the `level` state holds per SKU: the level and the evaluation that set it. */
export interface LevelState {
  level: Level;
  ts: number;
  total_qty: number;
  threshold: number | null;
  rule: 'sku' | 'cate_brand' | null;
}

/** The current level of each SKU, queryable as `level`. */
export const LEVEL = new ValueStateDescriptor<LevelState>('level', { queryable: 'level' });

/** The alert for a change from `previous` to the evaluated level, or undefined when it did not change. */
export function alertFor(previous: Level, evaluated: Evaluated): Alert | undefined {
  if (evaluated.level === previous) return undefined;
  const { ts, sku_id, vender_id, total_qty, threshold, rule, pv_5m } = evaluated;
  const level = evaluated.level === 'NONE' ? 'RECOVERED' : evaluated.level;
  return { ts, sku_id, vender_id, level, total_qty, threshold, rule, pv_5m, priority: priorityOf(pv_5m) };
}

/** See the module comment. */
export class LevelAlerts implements KeyedProcessFunction<number, Evaluated, Alert> {
  private level!: ValueState<LevelState>;

  open(ctx: RuntimeContext): void {
    this.level = ctx.getState(LEVEL);
  }

  processElement(evaluated: Evaluated, _ctx: KeyedProcessContext<number>, out: Collector<Alert>): void {
    const previous = this.level.value()?.level ?? 'NONE';
    const alert = alertFor(previous, evaluated);
    const { ts, total_qty, threshold, rule } = evaluated;
    this.level.update({ level: evaluated.level, ts, total_qty, threshold, rule });
    if (alert) out.collect(alert);
  }
}
