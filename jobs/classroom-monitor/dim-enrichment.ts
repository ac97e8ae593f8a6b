/**
 * Enrichment of `labels` with the classroom's `{course_id, teacher_name, level}` from the `dim`
 * lookup service (`http://host:port` GETs `/<classroom_id>`, or `file:classrooms.jsonl`), behind a
 * cache with a TTL and a 500 ms timeout. A miss, a timeout or a failed lookup gives `dim_missing: true`.
 */
import { CachedLookupService, FileLookupService, HttpLookupService, type AsyncFunction, type AsyncInvokeContext, type LookupService } from 'sluice';
import type { LabelledWindow, WindowLabels } from './labels.ts';

/** How long a lookup may take. */
export const DIM_TIMEOUT_MS = 500;
/** How long an answer is kept. */
export const DIM_TTL_MS = 60_000;
/** Classrooms kept in the cache at most. */
export const DIM_CACHE_ENTRIES = 100_000;

/** A `labels` line: the window's labels with the classroom's dimensions, or `dim_missing`. */
export type EnrichedLabels = WindowLabels & ({ course_id: unknown; teacher_name: unknown; level: unknown } | { dim_missing: true });

/** An enriched window and when its last record was read. */
export interface EnrichedWindow {
  readonly labels: EnrichedLabels;
  readonly ingestion_ms: number;
}

/** The labels with the classroom's row, or marked missing when there is none. */
export function enrich(labels: WindowLabels, row: unknown): EnrichedLabels {
  if (typeof row !== 'object' || row === null) return { ...labels, dim_missing: true };
  const r = row as Record<string, unknown>;
  return { ...labels, course_id: r.course_id ?? null, teacher_name: r.teacher_name ?? null, level: r.level ?? null };
}

/** The uncached service a `dim=` argument names. */
function dimService(uri: string): { service: LookupService; file: FileLookupService | undefined } {
  if (uri.startsWith('file:')) {
    const file = new FileLookupService(uri.slice('file:'.length).replace(/^\/\/(?=\/)/, ''), { keyField: 'classroom_id' });
    return { service: file, file };
  }
  if (uri.startsWith('http://') || uri.startsWith('https://')) return { service: new HttpLookupService({ baseUrl: uri }), file: undefined };
  throw new Error(`dim=${uri}: the classroom lookup must be http://host:port or file:classrooms.jsonl`);
}

/** The async function of the enrichment node. */
export class DimEnrichment implements AsyncFunction<LabelledWindow, EnrichedWindow> {
  private lookup: LookupService | undefined;

  constructor(private readonly uri: string) {}

  /** Builds the cached service; a file is loaded here, so that lookups answer from memory. */
  async open(): Promise<void> {
    const { service, file } = dimService(this.uri);
    this.lookup = new CachedLookupService(service, { ttlMs: DIM_TTL_MS, maxEntries: DIM_CACHE_ENTRIES });
    await file?.load();
  }

  async asyncInvoke(window: LabelledWindow, ctx: AsyncInvokeContext): Promise<EnrichedWindow> {
    if (!this.lookup) throw new Error('DimEnrichment used before open');
    let row: unknown;
    try {
      row = await this.lookup.lookup(window.labels.classroom_id, ctx.signal);
    } catch {
      row = undefined;
    }
    return { labels: enrich(window.labels, row), ingestion_ms: window.ingestion_ms };
  }

  timeout(window: LabelledWindow): EnrichedWindow {
    return { labels: { ...window.labels, dim_missing: true }, ingestion_ms: window.ingestion_ms };
  }
}
