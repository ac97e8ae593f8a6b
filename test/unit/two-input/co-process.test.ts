/** CoProcessOperator and KeyedCoProcessOperator under the operator harness. */
import { describe, expect, it } from 'vitest';
import {
  OutputTag,
  ValueStateDescriptor,
  type CoProcessFunction,
  type Collector,
  type KeyedCoProcessFunction,
  type KeyedProcessContext,
  type OnTimerContext,
  type RuntimeContext,
  type ValueState,
} from '../../../client/index.ts';
import { CoProcessOperator, KeyedCoProcessOperator } from '../../../taskmanager/operators/co-process-operators.ts';
import { OperatorHarness } from '../../support/operator-harness.ts';

interface Order {
  id: string;
  amount: number;
}
interface Payment {
  orderId: string;
  paid: number;
}

const UNPAID = new OutputTag<string>('unpaid');

describe('CoProcessOperator (non-keyed)', () => {
  it('routes each input to its method, keeps timestamps and reaches side outputs', async () => {
    const calls: string[] = [];
    const odd = new OutputTag<number>('odd');
    const fn: CoProcessFunction<number, string, string> = {
      open: () => void calls.push('open'),
      close: () => void calls.push('close'),
      processElement1(value, ctx, out) {
        if (value % 2 === 1) ctx.output(odd, value);
        out.collect(`n:${value}@${ctx.timestamp()}`);
      },
      processElement2(value, ctx, out) {
        out.collect(`s:${value}@${ctx.timestamp()}`);
      },
    };
    const h = await OperatorHarness.open((setup) => new CoProcessOperator(setup, fn as CoProcessFunction<unknown, unknown, unknown>));
    h.processElement(1, 10, 0);
    h.processElement('a', 11, 1);
    h.processElement(2, 12, 0);
    h.processElement('b', undefined, 1);
    expect(h.values()).toEqual(['n:1@10', 's:a@11', 'n:2@12', 's:b@undefined']);
    expect(h.output.records.map((r) => r.timestamp)).toEqual([10, 11, 12, Number.NEGATIVE_INFINITY]);
    expect(h.sideValues(odd.id)).toEqual([1]);
    h.processWatermark(50);
    expect(h.output.watermarks).toEqual([50]);
    await h.finishAndClose();
    expect(calls).toEqual(['open', 'close']);
  });

  it('rejects an input index other than 0 and 1', async () => {
    const fn: CoProcessFunction<unknown, unknown, unknown> = { processElement1: () => {}, processElement2: () => {} };
    const h = await OperatorHarness.open((setup) => new CoProcessOperator(setup, fn));
    expect(() => h.processElement('x', 0, 2)).toThrow(/no input 2/);
    await h.close();
  });

  it('refuses keyed state on non-keyed inputs', async () => {
    const fn: CoProcessFunction<unknown, unknown, unknown> = {
      processElement1() {},
      processElement2() {},
    };
    const h = await OperatorHarness.open((setup) => new CoProcessOperator(setup, fn));
    expect(() => h.context.getState(new ValueStateDescriptor('x'))).toThrow(/keyed state/);
    await h.close();
  });
});

/**
 * Matches orders (input 0) with payments (input 1) of the same order id. An order waits 100 ms of
 * event time for its payment; then it is reported unpaid.
 */
class OrderPaymentMatcher implements KeyedCoProcessFunction<string, Order, Payment, string> {
  private order!: ValueState<Order>;
  private payment!: ValueState<Payment>;

  open(context: RuntimeContext): void {
    this.order = context.getState(new ValueStateDescriptor<Order>('order'));
    this.payment = context.getState(new ValueStateDescriptor<Payment>('payment'));
  }

  processElement1(order: Order, ctx: KeyedProcessContext<string>, out: Collector<string>): void {
    const payment = this.payment.value();
    if (payment) {
      out.collect(`${ctx.getCurrentKey()} paid ${payment.paid}/${order.amount}`);
      this.payment.clear();
      return;
    }
    this.order.update(order);
    ctx.timerService().registerEventTimeTimer(ctx.timestamp()! + 100);
  }

  processElement2(payment: Payment, ctx: KeyedProcessContext<string>, out: Collector<string>): void {
    const order = this.order.value();
    if (order) {
      out.collect(`${ctx.getCurrentKey()} paid ${payment.paid}/${order.amount}`);
      this.order.clear();
      return;
    }
    this.payment.update(payment);
  }

  onTimer(timestamp: number, ctx: OnTimerContext<string>): void {
    const order = this.order.value();
    if (!order) return;
    ctx.output(UNPAID, `${ctx.getCurrentKey()} unpaid at ${timestamp} (${ctx.timeDomain()})`);
    this.order.clear();
  }
}

describe('KeyedCoProcessOperator', () => {
  const keySelectors = [(o: unknown) => (o as Order).id, (p: unknown) => (p as Payment).orderId];

  it('shares state per key between both inputs and fires timers per key', async () => {
    const h = await OperatorHarness.open((setup) => new KeyedCoProcessOperator(setup, new OrderPaymentMatcher()), { keySelectors });
    h.processElement({ id: 'o1', amount: 10 }, 1000, 0);
    h.processElement({ id: 'o2', amount: 20 }, 1001, 0);
    h.processElement({ orderId: 'o3', paid: 30 }, 1002, 1);
    h.processElement({ orderId: 'o1', paid: 10 }, 1003, 1);
    h.processElement({ id: 'o3', amount: 30 }, 1004, 0);
    expect(h.values()).toEqual(['o1 paid 10/10', 'o3 paid 30/30']);
    h.processWatermark(1100);
    expect(h.sideValues(UNPAID.id)).toEqual([]);
    h.processWatermark(1101);
    expect(h.sideValues(UNPAID.id)).toEqual(['o2 unpaid at 1101 (EVENT_TIME)']);
    expect(h.output.side.get(UNPAID.id)![0]!.timestamp).toBe(1101);
    // o1's timer fired at 1100 and found no order: nothing more.
    h.processWatermark(5000);
    expect(h.sideValues(UNPAID.id)).toHaveLength(1);
    await h.finishAndClose();
  });

  it('fires processing-time timers with the timer key current', async () => {
    const fired: string[] = [];
    const fn: KeyedCoProcessFunction<string, string, string, string> = {
      processElement1(_v, ctx) {
        ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 10);
      },
      processElement2(v, _ctx, out) {
        out.collect(v);
      },
      onTimer(ts, ctx, out) {
        fired.push(`${ctx.getCurrentKey()}@${ts}:${ctx.timeDomain()}`);
        out.collect(`timer ${ctx.getCurrentKey()}`);
      },
    };
    const h = await OperatorHarness.open((setup) => new KeyedCoProcessOperator(setup, fn as KeyedCoProcessFunction<unknown, unknown, unknown, unknown>), {
      keySelectors: [(v) => v as string, (v) => v as string],
      processingTime: 100,
    });
    h.processElement('a', undefined, 0);
    h.setProcessingTime(105);
    h.processElement('b', undefined, 0);
    h.processElement('x', undefined, 1);
    h.setProcessingTime(110);
    expect(fired).toEqual(['a@110:PROCESSING_TIME']);
    h.setProcessingTime(200);
    expect(fired).toEqual(['a@110:PROCESSING_TIME', 'b@115:PROCESSING_TIME']);
    expect(h.values()).toEqual(['x', 'timer a', 'timer b']);
    await h.finishAndClose();
  });

  it('needs keyed inputs', async () => {
    const fn = new OrderPaymentMatcher() as unknown as KeyedCoProcessFunction<unknown, unknown, unknown, unknown>;
    await expect(OperatorHarness.open((setup) => new KeyedCoProcessOperator(setup, fn))).rejects.toThrow(/keyed inputs/);
  });
});
