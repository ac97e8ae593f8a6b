/**
 * classroom-monitor's functions: validation per stream and the unnatural mark, the labels and the
 * role of a window (ties included), merging partial windows, courseware sync, and enrichment.
 */
import { describe, expect, it } from 'vitest';
import { outOfSync, foldPages } from '../../../jobs/classroom-monitor/courseware-sync.ts';
import { enrich } from '../../../jobs/classroom-monitor/dim-enrichment.ts';
import { eventValidator, invalidEvent, UNNATURAL_MARK, type ClassEvent, type Kind, type Tagged } from '../../../jobs/classroom-monitor/events.ts';
import { addEvent, emptyAccumulator, labelsOf, mergeAccumulators, type LabelAccumulator } from '../../../jobs/classroom-monitor/labels.ts';
import { isLate } from '../../../jobs/classroom-monitor/late-filter.ts';

const base = { tm: 1000, classroom_id: 'c', user_id: 1, role: 'student' };
const tag = (input: Kind, record: Partial<ClassEvent>): Tagged => ({ input, record: { ...base, ...record } as ClassEvent, ingestion_ms: 5 });
const fold = (events: Tagged[]): LabelAccumulator => events.reduce((acc, e) => addEvent(e, acc), emptyAccumulator());

describe('classroom-monitor validation', () => {
  it('accepts each stream with its fields, a null component as absent', () => {
    expect(invalidEvent('enter', { ...base, result: 'fail', component: null, duration_ms: 1e3 })).toBeUndefined();
    expect(invalidEvent('av', { ...base, metric: 'ok' })).toBeUndefined();
    expect(invalidEvent('courseware', { ...base, event: 'load_fail' })).toBeUndefined();
    expect(invalidEvent('courseware', { ...base, event: 'page_turn', page: 3.0 })).toBeUndefined();
    expect(invalidEvent('signal', { ...base, event: 'heartbeat' })).toBeUndefined();
  });

  it('names what makes a record malformed', () => {
    expect(invalidEvent('av', { ...base, tm: '1', metric: 'ok' })).toMatch(/^tm/);
    expect(invalidEvent('av', { ...base, role: 'admin', metric: 'ok' })).toMatch(/^role/);
    expect(invalidEvent('av', { ...base, classroom_id: null, metric: 'ok' })).toMatch(/^classroom_id/);
    expect(invalidEvent('enter', { ...base, result: 'fail', component: 'cpu', duration_ms: 1 })).toMatch(/^component/);
    expect(invalidEvent('enter', { ...base, result: 'fail' })).toMatch(/^duration_ms/);
    expect(invalidEvent('courseware', { ...base, event: 'page_turn' })).toMatch(/^page/);
    expect(invalidEvent('signal', { ...base, event: 'ping' })).toMatch(/^event/);
  });

  it('marks a valid record more than 60 s ahead of the wall clock as unnatural, and 60 s exactly as natural', () => {
    const validate = eventValidator('av', () => 1000);
    expect(validate({ ...base, tm: 61_000, metric: 'ok' })).toBeUndefined();
    expect(validate({ ...base, tm: 61_001, metric: 'ok' })).toMatch(new RegExp(`^${UNNATURAL_MARK}`));
    expect(validate({ ...base, tm: 61_001, metric: 'bad' })).toMatch(/^metric/);
  });

  it('calls a record late at or behind the watermark', () => {
    expect(isLate(100, 100)).toBe(true);
    expect(isLate(101, 100)).toBe(false);
    expect(isLate(5, Number.NEGATIVE_INFINITY)).toBe(false);
  });
});

describe('classroom-monitor labels', () => {
  it('counts every stream and finds no label in a quiet window', () => {
    const acc = fold([tag('enter', { result: 'success', duration_ms: 10_000 }), tag('av', { metric: 'ok' }), tag('signal', { event: 'heartbeat' })]);
    expect(acc.counts).toEqual({ enter: 1, av: 1, courseware: 0, signal: 1 });
    expect(labelsOf(acc)).toEqual([]);
  });

  it('labels a slow or failed enter, 3 bad av records, a courseware failure, ascending', () => {
    expect(labelsOf(fold([tag('enter', { result: 'success', duration_ms: 10_001 })]))).toEqual(['enter_problem']);
    expect(labelsOf(fold([tag('enter', { result: 'fail', duration_ms: 1 })]))).toEqual(['enter_problem']);
    const av = (metric: string) => tag('av', { metric: metric as ClassEvent['metric'] });
    expect(labelsOf(fold([av('stutter'), av('no_audio'), av('ok')]))).toEqual([]);
    expect(labelsOf(fold([av('stutter'), av('no_audio'), av('no_video'), tag('courseware', { event: 'draw_fail' }), tag('enter', { result: 'fail', duration_ms: 0 })]))).toEqual(['av_problem', 'courseware_problem', 'enter_problem']);
  });

  it('labels a disconnect unless a connect comes strictly later', () => {
    const signal = (event: string, tm: number) => tag('signal', { event, tm });
    expect(labelsOf(fold([signal('disconnect', 10), signal('connect', 10)]))).toEqual(['disconnect']);
    expect(labelsOf(fold([signal('connect', 11), signal('disconnect', 10)]))).toEqual([]);
    expect(labelsOf(fold([signal('disconnect', 10), signal('connect', 11), signal('disconnect', 12)]))).toEqual(['disconnect']);
  });

  it('takes the role of the latest record, a teacher on a tie, whatever the order or the merge', () => {
    const events = [tag('av', { tm: 5, role: 'teacher', metric: 'ok' }), tag('av', { tm: 7, role: 'student', metric: 'ok' }), tag('av', { tm: 7, role: 'teacher', metric: 'ok' })];
    expect(fold(events).role).toBe('teacher');
    expect(fold([...events].reverse()).role).toBe('teacher');
    expect(fold(events.slice(0, 2)).role).toBe('student');
    const merged = mergeAccumulators(fold(events.slice(2)), fold(events.slice(0, 2)));
    expect(merged.role).toBe('teacher');
    expect(merged.counts.av).toBe(3);
    expect(mergeAccumulators(emptyAccumulator(), fold(events))).toEqual(fold(events));
  });
});

describe('classroom-monitor courseware sync and enrichment', () => {
  const turn = (user_id: string | number, role: 'teacher' | 'student', page: number) => tag('courseware', { user_id, role, event: 'page_turn', page });

  it('lists the students below the highest teacher page; an equal page is in sync', () => {
    const maxima = [turn('t1', 'teacher', 4), turn('t2', 'teacher', 6), turn(1, 'student', 6), turn('1', 'student', 2), turn(2, 'student', 5), turn(2, 'student', 3)].reduce((acc, e) => foldPages.add(e, acc), foldPages.createAccumulator());
    const byUser = (a: { user_id: string | number }, b: { user_id: string | number }) => String(a.user_id).localeCompare(String(b.user_id)) || (typeof a.user_id === 'number' ? -1 : 1);
    expect(outOfSync(maxima, 0, 30_000).sort(byUser)).toEqual([
      { classroom_id: 'c', user_id: '1', window_start: 0, window_end: 30_000, teacher_page: 6, student_page: 2 },
      { classroom_id: 'c', user_id: 2, window_start: 0, window_end: 30_000, teacher_page: 6, student_page: 5 },
    ]);
  });

  it('emits nothing without a teacher page_turn', () => {
    const maxima = foldPages.add(turn(1, 'student', 1), foldPages.createAccumulator());
    expect(outOfSync(maxima, 0, 30_000)).toEqual([]);
  });

  it('adds the classroom row, or dim_missing when there is none', () => {
    const labels = { classroom_id: 'c', user_id: 1, role: 'student' as const, window_start: 0, window_end: 30_000, labels: ['disconnect'], counts: { enter: 0, av: 0, courseware: 0, signal: 1 } };
    expect(enrich(labels, { classroom_id: 'c', course_id: 'C1', teacher_name: '王老师', level: 'A1', extra: 1 })).toEqual({ ...labels, course_id: 'C1', teacher_name: '王老师', level: 'A1' });
    expect(enrich(labels, undefined)).toEqual({ ...labels, dim_missing: true });
  });
});
