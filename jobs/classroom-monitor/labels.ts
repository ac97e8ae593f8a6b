/**
 * The labels of one (classroom, user) over a 30 s window, folded incrementally: counts per stream,
 * the facts each label needs, and the role of the latest record.
 */
import type { AggregateFunction, Collector, ProcessWindowContext, ProcessWindowFunction, TimeWindow } from 'sluice';
import type { Id, Kind, Role, Tagged } from './events.ts';

/** The window size of the labels. */
export const LABEL_WINDOW_MS = 30_000;
/** An `enter` slower than this is a problem. */
export const SLOW_ENTER_MS = 10_000;
/** Non-`ok` `av` records that make an `av_problem`. */
export const AV_PROBLEMS = 3;

/** Records per stream in a window. */
export type Counts = Record<Kind, number>;

/** What a window keeps per key. */
export interface LabelAccumulator {
  classroom_id: Id;
  user_id: Id;
  counts: Counts;
  enterProblem: boolean;
  avProblems: number;
  coursewareProblem: boolean;
  /** Latest `disconnect` and `connect` times, or null. */
  lastDisconnect: number | null;
  lastConnect: number | null;
  /** Role of the latest record (a teacher wins a tie), and its time. */
  role: Role;
  roleTm: number;
  /** The wall clock the latest-read record was read at. */
  ingestion_ms: number;
}

/** A `labels` line before enrichment. */
export interface WindowLabels {
  classroom_id: Id;
  user_id: Id;
  role: Role;
  window_start: number;
  window_end: number;
  labels: string[];
  counts: Counts;
}

/** A window's labels and when its last record was read. */
export interface LabelledWindow {
  readonly labels: WindowLabels;
  readonly ingestion_ms: number;
}

function laterMax(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Whether (tm, role) is later than the accumulator's role record: later `tm`, or a teacher on a tie. */
function takesRole(acc: { role: Role; roleTm: number }, tm: number, role: Role): boolean {
  return tm > acc.roleTm || (tm === acc.roleTm && role === 'teacher');
}

/** An accumulator of no records (its ids are set by the first one). */
export function emptyAccumulator(): LabelAccumulator {
  return {
    classroom_id: '',
    user_id: '',
    counts: { enter: 0, av: 0, courseware: 0, signal: 0 },
    enterProblem: false,
    avProblems: 0,
    coursewareProblem: false,
    lastDisconnect: null,
    lastConnect: null,
    role: 'student',
    roleTm: Number.MIN_SAFE_INTEGER,
    ingestion_ms: 0,
  };
}

/** How many records an accumulator holds. */
export function recordsOf(acc: LabelAccumulator): number {
  return acc.counts.enter + acc.counts.av + acc.counts.courseware + acc.counts.signal;
}

/** Folds one record into the accumulator (a new object; the given one is not changed). */
export function addEvent(event: Tagged, acc: LabelAccumulator): LabelAccumulator {
  const r = event.record;
  const next: LabelAccumulator = { ...acc, counts: { ...acc.counts, [event.input]: acc.counts[event.input] + 1 } };
  if (recordsOf(acc) === 0) {
    next.classroom_id = r.classroom_id;
    next.user_id = r.user_id;
  }
  switch (event.input) {
    case 'enter':
      if (r.result === 'fail' || (r.duration_ms ?? 0) > SLOW_ENTER_MS) next.enterProblem = true;
      break;
    case 'av':
      if (r.metric !== 'ok') next.avProblems++;
      break;
    case 'courseware':
      if (r.event === 'load_fail' || r.event === 'draw_fail') next.coursewareProblem = true;
      break;
    case 'signal':
      if (r.event === 'disconnect') next.lastDisconnect = laterMax(next.lastDisconnect, r.tm);
      else if (r.event === 'connect') next.lastConnect = laterMax(next.lastConnect, r.tm);
      break;
  }
  if (takesRole(next, r.tm, r.role)) {
    next.role = r.role;
    next.roleTm = r.tm;
  }
  next.ingestion_ms = Math.max(next.ingestion_ms, event.ingestion_ms);
  return next;
}

/** Combines two partial accumulators of one key and window. */
export function mergeAccumulators(a: LabelAccumulator, b: LabelAccumulator): LabelAccumulator {
  if (recordsOf(a) === 0) return b;
  if (recordsOf(b) === 0) return a;
  const roleOf = takesRole(a, b.roleTm, b.role) ? b : a;
  return {
    classroom_id: a.classroom_id,
    user_id: a.user_id,
    counts: { enter: a.counts.enter + b.counts.enter, av: a.counts.av + b.counts.av, courseware: a.counts.courseware + b.counts.courseware, signal: a.counts.signal + b.counts.signal },
    enterProblem: a.enterProblem || b.enterProblem,
    avProblems: a.avProblems + b.avProblems,
    coursewareProblem: a.coursewareProblem || b.coursewareProblem,
    lastDisconnect: laterMax(a.lastDisconnect, b.lastDisconnect),
    lastConnect: laterMax(a.lastConnect, b.lastConnect),
    role: roleOf.role,
    roleTm: roleOf.roleTm,
    ingestion_ms: Math.max(a.ingestion_ms, b.ingestion_ms),
  };
}

/** The labels that hold, ascending. */
export function labelsOf(acc: LabelAccumulator): string[] {
  const labels: string[] = [];
  if (acc.avProblems >= AV_PROBLEMS) labels.push('av_problem');
  if (acc.coursewareProblem) labels.push('courseware_problem');
  // A disconnect holds unless a connect comes strictly after the latest disconnect.
  if (acc.lastDisconnect !== null && (acc.lastConnect === null || acc.lastConnect <= acc.lastDisconnect)) labels.push('disconnect');
  if (acc.enterProblem) labels.push('enter_problem');
  return labels;
}

/** The incremental fold of a labels window. */
export const foldLabels: AggregateFunction<Tagged, LabelAccumulator, LabelAccumulator> = {
  createAccumulator: emptyAccumulator,
  add: addEvent,
  getResult: (acc) => acc,
  merge: mergeAccumulators,
};

/** Emits a window's labels when at least one holds. */
export const emitLabels: ProcessWindowFunction<LabelAccumulator, LabelledWindow, string, TimeWindow> = {
  process(_key: string, ctx: ProcessWindowContext<TimeWindow>, results: LabelAccumulator[], out: Collector<LabelledWindow>) {
    const acc = results[0];
    if (acc === undefined || recordsOf(acc) === 0) return;
    const labels = labelsOf(acc);
    if (labels.length === 0) return;
    out.collect({
      labels: { classroom_id: acc.classroom_id, user_id: acc.user_id, role: acc.role, window_start: ctx.window.start, window_end: ctx.window.end, labels, counts: acc.counts },
      ingestion_ms: acc.ingestion_ms,
    });
  },
};

/** The key of a (classroom, user) pair; ids of different types stay apart. */
export function userKey(classroom_id: Id, user_id: Id): string {
  return JSON.stringify([classroom_id, user_id]);
}
