/**
 * Courseware sync: per classroom, over sliding 30 s windows every 15 s, the highest teacher page
 * against each student's highest page. Teacher and student `page_turn`s are grouped per window,
 * folded incrementally to the maxima.
 */
import type { AggregateFunction, Collector, ProcessWindowContext, ProcessWindowFunction, TimeWindow } from 'sluice';
import type { Id, Tagged } from './events.ts';

/** The sliding window's size and slide. */
export const SYNC_WINDOW_MS = 30_000;
export const SYNC_SLIDE_MS = 15_000;

/** The highest pages in one classroom and window. */
export interface PageMaxima {
  classroom_id: Id | null;
  /** Highest teacher page, or null without a teacher `page_turn`. */
  teacher: number | null;
  /** Highest page per student, by `typeof:id`. */
  students: Record<string, { user_id: Id; page: number }>;
}

/** An `out_of_sync` line. */
export interface OutOfSync {
  classroom_id: Id;
  user_id: Id;
  window_start: number;
  window_end: number;
  teacher_page: number;
  student_page: number;
}

/** Whether a tagged record is a `page_turn`. */
export function isPageTurn(event: Tagged): boolean {
  return event.input === 'courseware' && event.record.event === 'page_turn';
}

function studentKey(id: Id): string {
  return `${typeof id}:${id}`;
}

function higher(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Folds page turns into the maxima. */
export const foldPages: AggregateFunction<Tagged, PageMaxima, PageMaxima> = {
  createAccumulator: () => ({ classroom_id: null, teacher: null, students: {} }),
  add(event, acc) {
    const { classroom_id, user_id, role, page } = event.record;
    const p = page as number;
    if (role === 'teacher') return { ...acc, classroom_id, teacher: higher(acc.teacher, p) };
    const key = studentKey(user_id);
    const seen = acc.students[key];
    if (seen !== undefined && seen.page >= p) return acc.classroom_id === null ? { ...acc, classroom_id } : acc;
    return { ...acc, classroom_id, students: { ...acc.students, [key]: { user_id, page: p } } };
  },
  getResult: (acc) => acc,
  merge(a, b) {
    const students = { ...a.students };
    for (const [key, s] of Object.entries(b.students)) {
      const seen = students[key];
      if (seen === undefined || seen.page < s.page) students[key] = s;
    }
    return { classroom_id: a.classroom_id ?? b.classroom_id, teacher: higher(a.teacher, b.teacher), students };
  },
};

/** The students behind the teacher in a window. */
export function outOfSync(maxima: PageMaxima, window_start: number, window_end: number): OutOfSync[] {
  const teacher = maxima.teacher;
  if (teacher === null || maxima.classroom_id === null) return [];
  const classroom_id = maxima.classroom_id;
  return Object.values(maxima.students)
    .filter((s) => s.page < teacher)
    .map((s) => ({ classroom_id, user_id: s.user_id, window_start, window_end, teacher_page: teacher, student_page: s.page }));
}

/** Emits one `out_of_sync` line per student behind the teacher. */
export const emitOutOfSync: ProcessWindowFunction<PageMaxima, OutOfSync, Id, TimeWindow> = {
  process(_key: Id, ctx: ProcessWindowContext<TimeWindow>, results: PageMaxima[], out: Collector<OutOfSync>) {
    const maxima = results[0];
    if (maxima === undefined) return;
    for (const line of outOfSync(maxima, ctx.window.start, ctx.window.end)) out.collect(line);
  },
};
