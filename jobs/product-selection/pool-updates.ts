/**
 * The processing node, keyed by `pool_id`: gathers the pages of one selection, then compares the
 * SPU set with the pool's previous one, bumps the version and emits deltas and a snapshot.
 */
import { OutputTag, ValueStateDescriptor, type Collector, type KeyedProcessContext, type KeyedProcessFunction, type RuntimeContext, type ValueState } from 'sluice';
import type { Id } from './ids.ts';
import { diffPool } from './pool-diff.ts';

/** One page of a selection's SPUs; a selection with no pages (a delete, a count of 0) has one item with `pages: 0`. */
export interface PageResult {
  readonly pool_id: Id;
  /** Tells the selections of a pool apart while their pages arrive. */
  readonly token: string;
  /** From 1; 0 when `pages` is 0. */
  readonly page: number;
  readonly pages: number;
  readonly spu_ids: Id[];
}

/** A line of `deltas`. */
export interface Delta {
  pool_id: Id;
  version: number;
  spu_id: Id;
  action: 'add' | 'remove';
}

/** A line of `snapshots`. */
export interface Snapshot {
  pool_id: Id;
  version: number;
  spu_ids: Id[];
}

/** The side output the deltas leave through; the snapshots are the main output. */
export const DELTAS = new OutputTag<Delta>('deltas');

/** The pages of the selection being gathered. */
interface Pending {
  token: string;
  pages: number;
  next: number;
  spu_ids: Id[];
}

/**
 * Pages arrive in input order per pool (the request stages keep order), so a page that is not the
 * next one expected means a page of that selection failed (it went to `malformed`): the selection
 * is dropped and changes nothing.
 */
export class PoolUpdates implements KeyedProcessFunction<Id, PageResult, Snapshot> {
  private version!: ValueState<number>;
  private members!: ValueState<Id[]>;
  private pending!: ValueState<Pending>;

  open(ctx: RuntimeContext): void {
    this.version = ctx.getState(new ValueStateDescriptor<number>('version'));
    this.members = ctx.getState(new ValueStateDescriptor<Id[]>('spu-ids'));
    this.pending = ctx.getState(new ValueStateDescriptor<Pending>('pending'));
  }

  processElement(result: PageResult, ctx: KeyedProcessContext<Id>, out: Collector<Snapshot>): void {
    if (result.pages === 0) {
      this.pending.clear();
      this.apply(result.pool_id, [], ctx, out);
      return;
    }
    let pending = this.pending.value();
    if (result.page === 1) pending = { token: result.token, pages: result.pages, next: 1, spu_ids: [] };
    if (pending === undefined || pending.token !== result.token || pending.next !== result.page) {
      this.pending.clear();
      return;
    }
    const gathered = { ...pending, next: pending.next + 1, spu_ids: pending.spu_ids.concat(result.spu_ids) };
    if (gathered.next <= gathered.pages) {
      this.pending.update(gathered);
      return;
    }
    this.pending.clear();
    this.apply(result.pool_id, gathered.spu_ids, ctx, out);
  }

  private apply(pool_id: Id, spu_ids: Id[], ctx: KeyedProcessContext<Id>, out: Collector<Snapshot>): void {
    const version = (this.version.value() ?? 0) + 1;
    const diff = diffPool(this.members.value() ?? [], spu_ids);
    this.version.update(version);
    this.members.update(diff.next.length > 0 ? diff.next : undefined);
    for (const spu_id of diff.added) ctx.output(DELTAS, { pool_id, version, spu_id, action: 'add' });
    for (const spu_id of diff.removed) ctx.output(DELTAS, { pool_id, version, spu_id, action: 'remove' });
    out.collect({ pool_id, version, spu_ids: diff.next });
  }
}
