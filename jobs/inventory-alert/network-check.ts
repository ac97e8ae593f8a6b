/**
 * The network check: an `OUT_OF_STOCK` or `LOW_STOCK` evaluation is confirmed against the
 * warehouse-network stock service (`network`: `http://host:port`, GET `/<sku_id>` answering
 * `{sku_id, network_qty}` or 404, or `file:network.jsonl`). A SKU the service does not know has 0.
 */
import { lookupFromUri, type AsyncFunction, type AsyncInvokeContext, type LookupService } from 'sluice';
import type { Evaluated } from './inputs.ts';
import { integerOf } from './records.ts';
import { confirmedLevel } from './rules.ts';

/** How long one try of a lookup may take. */
export const NETWORK_TIMEOUT_MS = 2_000;

/** The `network_qty` of a service's answer; throws naming the SKU when the answer is not one. */
export function networkQtyOf(sku_id: number, answer: unknown): number {
  if (answer === undefined || answer === null) return 0;
  const qty = integerOf((answer as { network_qty?: unknown }).network_qty);
  if (typeof (answer as { network_qty?: unknown }).network_qty !== 'number' || qty === undefined) {
    throw new Error(`network stock of sku ${sku_id}: the answer ${JSON.stringify(answer).slice(0, 200)} has no integer network_qty`);
  }
  return qty;
}

/** The async function of the network check. */
export class NetworkCheck implements AsyncFunction<Evaluated, Evaluated> {
  private service: LookupService | undefined;

  constructor(private readonly uri: string) {}

  open(): void {
    this.service = lookupFromUri(this.uri, { keyField: 'sku_id', name: 'network' });
  }

  async asyncInvoke(evaluated: Evaluated, ctx: AsyncInvokeContext): Promise<Evaluated> {
    if (evaluated.level === 'NONE' || evaluated.threshold === null || evaluated.rule === null) return evaluated;
    if (!this.service) throw new Error('NetworkCheck used before open');
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(NETWORK_TIMEOUT_MS)]);
    const network_qty = networkQtyOf(evaluated.sku_id, await this.service.lookup(evaluated.sku_id, signal));
    const level = confirmedLevel(evaluated.level, { rule: evaluated.rule, threshold: evaluated.threshold }, network_qty);
    return level === evaluated.level ? evaluated : { ...evaluated, level };
  }
}
