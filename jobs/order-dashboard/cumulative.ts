/**
 * The cumulative ("as of") metrics: folds each minute's summary, in window order, into the totals,
 * the brand table and the per-user amounts kept in keyed state (one key for the whole shop), and
 * emits `totals` on the main output and `brand_rank`, `top_users` and `gender_share` on side
 * outputs, as of the minute's end.
 */
import {
  MapStateDescriptor,
  OutputTag,
  ValueStateDescriptor,
  type Collector,
  type KeyedProcessContext,
  type KeyedProcessFunction,
  type MapState,
  type RuntimeContext,
  type ValueState,
} from 'sluice';
import type { QuantityAmount, UserAmount } from './minute-summary.ts';
import { brandRanking, compareUsers, genderShare, TOP_N, type BrandRank, type GenderShare, type MinuteWindow, type Totals, type TopUsers, type UserEntry } from './outputs.ts';
import { idKey } from './ranking.ts';

/** Side output of `brand_rank`. */
export const BRAND_RANK = new OutputTag<BrandRank>('brand_rank');
/** Side output of `top_users`. */
export const TOP_USERS = new OutputTag<TopUsers>('top_users');
/** Side output of `gender_share`. */
export const GENDER_SHARE = new OutputTag<GenderShare>('gender_share');

/** The running sums of everything before the last minute folded. */
interface Running {
  amount: number;
  quantity: number;
  amountM: number;
  amountF: number;
}

/** See the module comment. */
export class CumulativeMetrics implements KeyedProcessFunction<string, MinuteWindow, Totals> {
  private running!: ValueState<Running>;
  private brands!: ValueState<Record<string, QuantityAmount>>;
  private users!: MapState<string, UserAmount>;
  private top!: ValueState<UserEntry[]>;

  open(ctx: RuntimeContext): void {
    this.running = ctx.getState(new ValueStateDescriptor<Running>('running'));
    this.brands = ctx.getState(new ValueStateDescriptor<Record<string, QuantityAmount>>('brands'));
    this.users = ctx.getMapState(new MapStateDescriptor<string, UserAmount>('users'));
    this.top = ctx.getState(new ValueStateDescriptor<UserEntry[]>('top'));
  }

  processElement(minute: MinuteWindow, ctx: KeyedProcessContext<string>, out: Collector<Totals>): void {
    const s = minute.summary;
    const asOf = minute.window_end;
    const running = this.running.value() ?? { amount: 0, quantity: 0, amountM: 0, amountF: 0 };
    running.amount += s.amount;
    running.quantity += s.quantity;
    running.amountM += s.amountM;
    running.amountF += s.amountF;
    this.running.update(running);

    const brands = this.brands.value() ?? {};
    for (const [key, [quantity, amount]] of Object.entries(s.brands)) {
      const entry = brands[key];
      brands[key] = entry === undefined ? [quantity, amount] : [entry[0] + quantity, entry[1] + amount];
    }
    this.brands.update(brands);

    out.collect({ as_of: asOf, amount_cents: running.amount, quantity: running.quantity });
    ctx.output(BRAND_RANK, { as_of: asOf, ranking: brandRanking(brands) });
    ctx.output(TOP_USERS, { as_of: asOf, top: this.foldUsers(s.users) });
    ctx.output(GENDER_SHARE, genderShare(asOf, running.amountM, running.amountF));
  }

  /**
   * Adds a minute's per-user amounts and returns the new top 10. Amounts never decrease, so the
   * new top 10 lies within the old one and the users of this minute.
   */
  private foldUsers(minuteUsers: Readonly<Record<string, UserAmount>>): UserEntry[] {
    const candidates = new Map<string, UserEntry>();
    for (const entry of this.top.value() ?? []) candidates.set(idKey(entry.user_id), entry);
    for (const [key, [userId, userName, amount]] of Object.entries(minuteUsers)) {
      const known = this.users.get(key);
      const total: UserAmount = known === undefined ? [userId, userName, amount] : [known[0], known[1], known[2] + amount];
      this.users.put(key, total);
      candidates.set(key, { user_id: total[0], user_name: total[1], amount_cents: total[2] });
    }
    const top = [...candidates.values()].sort(compareUsers).slice(0, TOP_N);
    this.top.update(top);
    return top;
  }
}
