/**
 * classroom-monitor on real processes, at p=1 and p=3, over the generator's inputs (one file per
 * stream), against a reference computed here without the job's code: lateness per file (a record
 * at or behind the highest earlier `tm` of its file minus 6001 ms), labels per (classroom, user)
 * and 30 s window enriched from the `dim` file, out-of-sync students over sliding windows, and the
 * filtered, unnatural and late records.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniCluster, readCommittedOutput } from '../support/mini-cluster.ts';

const JOB = 'jobs/classroom-monitor';
const KINDS = ['enter', 'av', 'courseware', 'signal'] as const;
type Kind = (typeof KINDS)[number];
type Rec = Record<string, unknown> & { tm: number; classroom_id: string | number; user_id: string | number; role: string };

interface Expected {
  labels: string[];
  outOfSync: string[];
  late: string[];
  unnatural: string[];
  filtered: string[];
}

const int = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
const id = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v));
const within = (v: unknown, set: string[]): boolean => typeof v === 'string' && set.includes(v);
const floorTo = (t: number, size: number): number => t - (((t % size) + size) % size);

function valid(kind: Kind, r: Record<string, unknown>): boolean {
  if (!int(r.tm) || !id(r.classroom_id) || !id(r.user_id) || !within(r.role, ['teacher', 'student'])) return false;
  if (kind === 'enter') return within(r.result, ['success', 'fail']) && (r.component === undefined || r.component === null || within(r.component, ['media', 'channel', 'courseware'])) && int(r.duration_ms);
  if (kind === 'av') return within(r.metric, ['stutter', 'no_audio', 'no_video', 'ok']);
  if (kind === 'courseware') return within(r.event, ['load_fail', 'draw_fail', 'page_turn']) && (r.event !== 'page_turn' || int(r.page));
  return within(r.event, ['connect', 'disconnect', 'heartbeat']);
}

function reference(dir: string, now: number): Expected {
  const out: Expected = { labels: [], outOfSync: [], late: [], unnatural: [], filtered: [] };
  const events: { kind: Kind; r: Rec }[] = [];
  for (const kind of KINDS) {
    let max = Number.NEGATIVE_INFINITY;
    for (const raw of readFileSync(join(dir, `${kind}.jsonl`), 'utf8').split('\n')) {
      if (raw.trim() === '') continue;
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        out.filtered.push(raw);
        continue;
      }
      if (typeof r !== 'object' || r === null || !valid(kind, r)) out.filtered.push(raw);
      else if ((r.tm as number) > now + 60_000) out.unnatural.push(JSON.stringify({ input: kind, record: r }));
      else if ((r.tm as number) <= max - 6_001) out.late.push(JSON.stringify({ input: kind, record: r }));
      else {
        events.push({ kind, r: r as Rec });
        max = Math.max(max, r.tm as number);
      }
    }
  }
  const dim = new Map<string, Record<string, unknown>>();
  for (const line of readFileSync(join(dir, 'classrooms.jsonl'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as Record<string, unknown>;
    dim.set(String(row.classroom_id), row);
  }
  const windows = new Map<string, { kind: Kind; r: Rec }[]>();
  for (const e of events) {
    const key = JSON.stringify([e.r.classroom_id, e.r.user_id, floorTo(e.r.tm, 30_000)]);
    windows.set(key, [...(windows.get(key) ?? []), e]);
  }
  for (const [key, list] of windows) {
    const [classroom_id, user_id, start] = JSON.parse(key) as [string | number, string | number, number];
    const of = (k: Kind) => list.filter((e) => e.kind === k).map((e) => e.r);
    const labels: string[] = [];
    if (of('av').filter((r) => r.metric !== 'ok').length >= 3) labels.push('av_problem');
    if (of('courseware').some((r) => r.event === 'load_fail' || r.event === 'draw_fail')) labels.push('courseware_problem');
    const signals = of('signal');
    if (signals.some((d) => d.event === 'disconnect' && !signals.some((c) => c.event === 'connect' && c.tm > d.tm))) labels.push('disconnect');
    if (of('enter').some((r) => r.result === 'fail' || (r.duration_ms as number) > 10_000)) labels.push('enter_problem');
    if (labels.length === 0) continue;
    const latest = Math.max(...list.map((e) => e.r.tm));
    const role = list.some((e) => e.r.tm === latest && e.r.role === 'teacher') ? 'teacher' : 'student';
    const counts = { enter: of('enter').length, av: of('av').length, courseware: of('courseware').length, signal: of('signal').length };
    const row = dim.get(String(classroom_id));
    const extra = row ? { course_id: row.course_id, teacher_name: row.teacher_name, level: row.level } : { dim_missing: true };
    out.labels.push(JSON.stringify({ classroom_id, user_id, role, window_start: start, window_end: start + 30_000, labels, counts, ...extra }));
  }
  const turns = events.filter((e) => e.kind === 'courseware' && e.r.event === 'page_turn').map((e) => e.r);
  const starts = new Set(turns.flatMap((r) => [floorTo(r.tm, 15_000), floorTo(r.tm, 15_000) - 15_000]));
  const classrooms = new Map(turns.map((r) => [`${typeof r.classroom_id}:${r.classroom_id}`, r.classroom_id]));
  for (const start of starts) {
    for (const classroom_id of classrooms.values()) {
      const inWindow = turns.filter((r) => r.classroom_id === classroom_id && r.tm >= start && r.tm < start + 30_000);
      const teacher = Math.max(...inWindow.filter((r) => r.role === 'teacher').map((r) => r.page as number));
      if (!Number.isFinite(teacher)) continue;
      const students = new Map<string, { user_id: string | number; page: number }>();
      for (const r of inWindow.filter((x) => x.role === 'student')) {
        const k = `${typeof r.user_id}:${r.user_id}`;
        const page = Math.max(students.get(k)?.page ?? Number.NEGATIVE_INFINITY, r.page as number);
        students.set(k, { user_id: r.user_id, page });
      }
      for (const s of students.values()) {
        if (s.page < teacher) out.outOfSync.push(JSON.stringify({ classroom_id, user_id: s.user_id, window_start: start, window_end: start + 30_000, teacher_page: teacher, student_page: s.page }));
      }
    }
  }
  return out;
}

describe('classroom-monitor on a cluster of 1 JobManager and 2 TaskManagers', () => {
  let cluster: MiniCluster;
  let dir: string;
  let expected: Expected;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-classroom-monitor-'));
    execFileSync(process.execPath, ['bin/run-ts.js', 'jobs/classroom-monitor/generate.ts', '--seed', '5', '--records', '3000', join(dir, 'in')]);
    expected = reference(join(dir, 'in'), Date.now());
    cluster = await MiniCluster.start({ taskManagers: 2, slotsPerTaskManager: 2 });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const p of [1, 3]) {
    it(`commits the reference labels, out-of-sync students and set-aside records at p=${p}`, async () => {
      const input = (name: string) => `file:${join(dir, 'in', `${name}.jsonl`)}`;
      const out = (name: string) => join(dir, `${name}-${p}`);
      const outputs = ['labels', 'out_of_sync', 'filtered', 'unnatural', 'late', 'latency'];
      const jobId = await cluster.submit(JOB, p, {
        ...Object.fromEntries(KINDS.map((k) => [k, input(k)])),
        dim: input('classrooms'),
        ...Object.fromEntries(outputs.map((o) => [o, `file:${out(o)}`])),
      });
      const final = await cluster.waitForState(jobId, ['FINISHED', 'FAILED', 'CANCELED'], 120_000);
      expect(final.failure).toBe('');
      expect(final.state).toBe('FINISHED');
      for (const list of [expected.labels, expected.outOfSync, expected.late, expected.unnatural, expected.filtered]) expect(list.length).toBeGreaterThan(10);
      expect(expected.labels.some((l) => l.includes('"dim_missing":true'))).toBe(true);
      const lines = (name: string) => readCommittedOutput(out(name)).map((r) => JSON.stringify(r)).sort();
      expect(lines('labels')).toEqual([...expected.labels].sort());
      expect(lines('out_of_sync')).toEqual([...expected.outOfSync].sort());
      expect(lines('late')).toEqual([...expected.late].sort());
      expect(lines('unnatural')).toEqual([...expected.unnatural].sort());
      expect(readCommittedOutput<{ raw: string }>(out('filtered')).map((m) => m.raw).sort()).toEqual([...expected.filtered].sort());
      const latency = readCommittedOutput<{ window_end: number; ingestion_ms: number; emitted_ms: number }>(out('latency'));
      expect(latency).toHaveLength(expected.labels.length);
      for (const l of latency) expect(l.emitted_ms).toBeGreaterThanOrEqual(l.ingestion_ms);
    }, 180_000);
  }
});
