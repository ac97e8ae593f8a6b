/**
 * product-selection (seed 001): real-time product pools. Each selection (`selections`, JSONL) is
 * resolved against the SPU search service (`sp`, HTTP or a catalog file) by a count and one request
 * per page of 100, then, keyed by `pool_id`, compared with the pool's previous SPU set: `deltas`
 * gets one `add`/`remove` per changed SPU and `snapshots` the full set, under a version that
 * counts the pool's applied selections.
 */
import { AsyncDataStream, defineJob, MALFORMED, OutputTag, type AsyncFailure, type MalformedRecord } from 'sluice';
import { DELTAS, PoolUpdates } from './pool-updates.ts';
import { CountPages, FetchPage, REQUEST_TIMEOUT_MS, type PageRequest } from './request-stages.ts';
import { invalidSelection, type Selection } from './selection.ts';

/** Requests in flight per subtask, in each request stage. */
const IN_FLIGHT = 8;
/** Calls per request: the first and 3 retries. */
const ATTEMPTS = 4;
/** Retries wait 200 ms, 400 ms, 800 ms. */
const RETRY = { maxAttempts: ATTEMPTS, initialBackoffMs: 200, multiplier: 2, maxBackoffMs: 800 };
/** A record's time for all its tries and waits. */
const RECORD_TIMEOUT_MS = ATTEMPTS * REQUEST_TIMEOUT_MS + 200 + 400 + 800 + 600;

const COUNT_FAILED = new OutputTag<AsyncFailure<Selection>>('count-failed');
const PAGE_FAILED = new OutputTag<AsyncFailure<PageRequest>>('page-failed');

/** A selection whose request failed for good, as a `malformed` line. */
function failedSelection(selection: Selection, error: string, attempts: number): MalformedRecord {
  return { input: 'selections', raw: JSON.stringify(selection), error: `SPU search failed after ${attempts} tries: ${error}` };
}

export default defineJob({
  name: 'product-selection',
  build(env, args) {
    const sp = args.get('sp');
    const selections = env.fromSource(args.source<Selection>('selections', { validate: invalidSelection }), 'selections');
    const requests = AsyncDataStream.orderedWait(selections, new CountPages(sp), {
      capacity: IN_FLIGHT,
      timeoutMs: RECORD_TIMEOUT_MS,
      retry: RETRY,
      onFailure: COUNT_FAILED,
    }).name('count');
    const pages = AsyncDataStream.orderedWait(requests, new FetchPage(sp), {
      capacity: IN_FLIGHT,
      timeoutMs: RECORD_TIMEOUT_MS,
      retry: RETRY,
      onFailure: PAGE_FAILED,
    }).name('search');
    const snapshots = pages
      .keyBy((page) => page.pool_id)
      .process(new PoolUpdates())
      .name('pool');
    snapshots.sinkTo(args.sink('snapshots')).name('snapshots');
    snapshots.getSideOutput(DELTAS).sinkTo(args.sink('deltas')).name('deltas');
    const malformed = args.optionalSink<MalformedRecord>('malformed');
    if (malformed) {
      const countFailures = requests.getSideOutput(COUNT_FAILED).map((f) => failedSelection(f.input, f.error, f.attempts));
      const pageFailures = pages.getSideOutput(PAGE_FAILED).map((f) => failedSelection(f.input.selection, f.error, f.attempts));
      selections.getSideOutput(MALFORMED).union(countFailures, pageFailures).sinkTo(malformed).name('malformed');
    }
  },
});
