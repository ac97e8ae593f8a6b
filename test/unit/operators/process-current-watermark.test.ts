/**
 * A non-keyed ProcessFunction reads the operator's watermark from its context, so a function
 * chained to a source can tell records behind it (classroom-monitor's late filter does).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector, ProcessContext, ProcessFunction } from '../../../client/api/functions.ts';
import { ProcessOperator } from '../../../taskmanager/operators/process-operators.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';

/** Emits each record with the watermark its context reported. */
const withWatermark: ProcessFunction<number, string> = {
  processElement(value: number, ctx: ProcessContext, out: Collector<string>) {
    out.collect(`${value}@${ctx.currentWatermark()}`);
  },
};

describe('ProcessOperator context', () => {
  let harness: OperatorHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('reports -Infinity before the first watermark, then the latest one', async () => {
    harness = await OperatorHarness.open((setup) => new ProcessOperator(setup, withWatermark as never));
    harness.processElement(1, 1);
    harness.processWatermark(100);
    harness.processElement(2, 2);
    harness.processWatermark(50);
    harness.processElement(3, 3);
    expect(harness.values<string>()).toEqual(['1@-Infinity', '2@100', '3@100']);
  });
});
