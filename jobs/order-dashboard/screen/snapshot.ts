/**
 * What the big screen shows at one moment: the latest record of each cumulative metric and the
 * recent windows of each per-window one, built from the job's records whichever store they
 * come from (committed files or Redis). A window's record is keyed by `window_start`, a
 * cumulative one by `as_of`, so a record written twice (a replay, a second run) counts once.
 */
import type { BrandRank, CategoryRank, Gender10Min, GenderShare, MinuteSales, TopUsers, Totals } from '../outputs.ts';

/** The screen's view of the eight metrics; `null` until the job has committed one. */
export interface ScreenSnapshot {
  /** Where the records come from, for the page's footer. */
  source: string;
  /** The most recent minutes, oldest first (at most `MINUTES_SHOWN`). */
  minute_sales: MinuteSales[];
  category_rank: CategoryRank | null;
  totals: Totals | null;
  brand_rank: BrandRank | null;
  top_users: TopUsers | null;
  gender_share: GenderShare | null;
  /** The most recent 10-minute windows, oldest first (at most `TEN_MINUTES_SHOWN`). */
  gender_10min: Gender10Min[];
}

/** The outputs whose records are keyed by `window_start`. */
export const WINDOW_OUTPUTS = ['minute_sales', 'category_rank', 'gender_10min'] as const;
/** The outputs whose records are keyed by `as_of`. */
export const AS_OF_OUTPUTS = ['totals', 'brand_rank', 'top_users', 'gender_share'] as const;
/** The seven outputs the screen reads (`malformed` is not shown). */
export const SCREEN_OUTPUTS = [...WINDOW_OUTPUTS, ...AS_OF_OUTPUTS] as const;
/** One of the outputs the screen reads. */
export type ScreenOutput = (typeof SCREEN_OUTPUTS)[number];

/** How many minutes the sales-flow line shows. */
export const MINUTES_SHOWN = 60;
/** How many 10-minute windows the gender bars show. */
export const TEN_MINUTES_SHOWN = 12;

/** The field that keys the records of an output. */
export function keyField(output: ScreenOutput): 'window_start' | 'as_of' {
  return (WINDOW_OUTPUTS as readonly string[]).includes(output) ? 'window_start' : 'as_of';
}

/** The key of a record of `output`, or undefined when the record is not an object with it. */
export function recordKey(output: ScreenOutput, record: unknown): number | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const key = (record as Record<string, unknown>)[keyField(output)];
  return typeof key === 'number' && Number.isSafeInteger(key) ? key : undefined;
}

/** The records of each output by key, the one place both readers keep what they have seen. */
export class MetricTables {
  private readonly tables = new Map<ScreenOutput, Map<number, unknown>>(SCREEN_OUTPUTS.map((o) => [o, new Map()]));

  /** Records one record; false when it has no key (the caller reports it). */
  put(output: ScreenOutput, record: unknown): boolean {
    const key = recordKey(output, record);
    if (key === undefined) return false;
    this.table(output).set(key, record);
    return true;
  }

  /** Forgets every record of `output` (its store was rewritten). */
  clear(output: ScreenOutput): void {
    this.table(output).clear();
  }

  /** The screen's view of what is recorded. */
  snapshot(source: string): ScreenSnapshot {
    return {
      source,
      minute_sales: this.recent<MinuteSales>('minute_sales', MINUTES_SHOWN),
      category_rank: this.latest<CategoryRank>('category_rank'),
      totals: this.latest<Totals>('totals'),
      brand_rank: this.latest<BrandRank>('brand_rank'),
      top_users: this.latest<TopUsers>('top_users'),
      gender_share: this.latest<GenderShare>('gender_share'),
      gender_10min: this.recent<Gender10Min>('gender_10min', TEN_MINUTES_SHOWN),
    };
  }

  private table(output: ScreenOutput): Map<number, unknown> {
    const table = this.tables.get(output);
    if (table === undefined) throw new Error(`unknown screen output "${output}"`);
    return table;
  }

  private recent<T>(output: ScreenOutput, n: number): T[] {
    const table = this.table(output);
    return [...table.keys()]
      .sort((a, b) => a - b)
      .slice(-n)
      .map((k) => table.get(k) as T);
  }

  private latest<T>(output: ScreenOutput): T | null {
    let best: number | undefined;
    for (const k of this.table(output).keys()) if (best === undefined || k > best) best = k;
    return best === undefined ? null : (this.table(output).get(best) as T);
  }
}

/** A reader of the job's records: each call returns the screen's current view. */
export interface MetricsReader {
  /** What the reader reads, for logs and the page. */
  readonly description: string;
  read(): Promise<ScreenSnapshot>;
  close(): Promise<void>;
}
