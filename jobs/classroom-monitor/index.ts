/**
 * classroom-monitor (seed 003): proactive detection of problems in live online classes. Unions the
 * `enter`, `av`, `courseware` and `signal` streams; labels each (classroom, user) over 30 s windows
 * (`labels`, enriched through the `dim` lookup, with a `latency` line each), compares student and
 * teacher pages over sliding 30 s windows (`out_of_sync`), and sets aside malformed (`filtered`),
 * future (`unnatural`) and late (`late`) records.
 */
import {
  AsyncDataStream,
  defineJob,
  MALFORMED,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type DataStream,
  type MalformedRecord,
} from 'sluice';
import { emitOutOfSync, foldPages, isPageTurn, SYNC_SLIDE_MS, SYNC_WINDOW_MS } from './courseware-sync.ts';
import { DIM_TIMEOUT_MS, DimEnrichment } from './dim-enrichment.ts';
import { eventValidator, KINDS, UNNATURAL_MARK, type ClassEvent, type Echoed, type Tagged } from './events.ts';
import { emitLabels, foldLabels, LABEL_WINDOW_MS, userKey } from './labels.ts';
import { LATE, LateFilter } from './late-filter.ts';

/** The watermark bound of every stream. */
const OUT_OF_ORDERNESS_MS = 6_000;

/** An unnatural record, from the malformed line the source reported for it. */
function unnatural(m: MalformedRecord): Echoed {
  return { input: m.input, record: JSON.parse(m.raw) as unknown };
}

export default defineJob({
  name: 'classroom-monitor',
  build(env, args) {
    const valid: DataStream<Tagged>[] = [];
    const rejected: DataStream<MalformedRecord>[] = [];
    const late: DataStream<Echoed>[] = [];
    for (const kind of KINDS) {
      const watermarks = WatermarkStrategy.forBoundedOutOfOrderness<ClassEvent>(OUT_OF_ORDERNESS_MS).withTimestampAssigner((e) => e.tm);
      const events = env.fromSource(args.source<ClassEvent>(kind, { validate: eventValidator(kind) }), watermarks, kind);
      const tagged = events.process(new LateFilter(kind)).name(`${kind}-late-filter`);
      valid.push(tagged);
      late.push(tagged.getSideOutput(LATE));
      rejected.push(events.getSideOutput(MALFORMED));
    }
    const [first, ...rest] = valid as [DataStream<Tagged>, ...DataStream<Tagged>[]];
    const all = first.union(...rest);

    const [rejectedFirst, ...rejectedRest] = rejected as [DataStream<MalformedRecord>, ...DataStream<MalformedRecord>[]];
    const rejects = rejectedFirst.union(...rejectedRest);
    rejects.filter((m) => !m.error.startsWith(UNNATURAL_MARK)).sinkTo(args.sink('filtered')).name('filtered');
    const unnaturalSink = args.optionalSink<Echoed>('unnatural');
    if (unnaturalSink) rejects.filter((m) => m.error.startsWith(UNNATURAL_MARK)).map(unnatural).sinkTo(unnaturalSink).name('unnatural');
    const lateSink = args.optionalSink<Echoed>('late');
    if (lateSink) {
      const [lateFirst, ...lateRest] = late as [DataStream<Echoed>, ...DataStream<Echoed>[]];
      lateFirst.union(...lateRest).sinkTo(lateSink).name('late');
    }

    const windows = all
      .keyBy((e) => userKey(e.record.classroom_id, e.record.user_id))
      .window(TumblingEventTimeWindows.of(LABEL_WINDOW_MS))
      .aggregate(foldLabels, emitLabels)
      .name('labels');
    const enriched = AsyncDataStream.unorderedWait(windows, new DimEnrichment(args.get('dim')), { capacity: 100, timeoutMs: DIM_TIMEOUT_MS }).name('dim');
    enriched.map((e) => e.labels).sinkTo(args.sink('labels')).name('labels-out');
    const latencySink = args.optionalSink('latency');
    if (latencySink) {
      enriched
        .map((e) => ({ classroom_id: e.labels.classroom_id, user_id: e.labels.user_id, window_end: e.labels.window_end, ingestion_ms: e.ingestion_ms, emitted_ms: Date.now() }))
        .sinkTo(latencySink)
        .name('latency');
    }

    all
      .filter(isPageTurn)
      .keyBy((e) => e.record.classroom_id)
      .window(SlidingEventTimeWindows.of(SYNC_WINDOW_MS, SYNC_SLIDE_MS))
      .aggregate(foldPages, emitOutOfSync)
      .name('courseware-sync')
      .sinkTo(args.sink('out_of_sync'))
      .name('out_of_sync');
  },
});
