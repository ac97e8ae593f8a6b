/**
 * Writes the inputs of classroom-monitor into DIR, deterministically from the seed:
 * `node bin/run-ts.js jobs/classroom-monitor/generate.ts --seed S --records N DIR` writes
 * `enter.jsonl`, `av.jsonl`, `courseware.jsonl`, `signal.jsonl` (N records in all) and the `dim`
 * table `classrooms.jsonl`. Edge cases: disorder within the 6 s bound, late records, records far
 * in the future (unnatural), malformed lines, role ties, `disconnect` and `connect` at one `tm`,
 * `duration_ms` of exactly 10000, exactly 3 bad `av` records, equal pages, classrooms missing from
 * `dim`, numeric and Unicode ids.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SplitMixRandom } from 'sluice';

const START = 1_700_000_000_000;
/** 2100-01-01: always more than 60 s ahead of the wall clock. */
const FUTURE = 4_102_444_800_000;

type Line = Record<string, unknown>;

const { values, positionals } = parseArgs({ options: { seed: { type: 'string', default: '1' }, records: { type: 'string', default: '400' } }, allowPositionals: true });
const dir = positionals[0];
const seed = Number(values.seed);
const records = Number(values.records);
if (dir === undefined || !Number.isSafeInteger(seed) || !Number.isSafeInteger(records) || records < 0) {
  process.stderr.write('usage: generate.ts --seed S --records N DIR\n');
  process.exit(2);
}
const random = new SplitMixRandom(seed);
const classrooms = Math.max(2, Math.ceil(records / 120));
const classroomId = (c: number): string | number => (c % 2 === 0 ? 9000 + c : `课堂-${c}`);
const users = (c: number): (string | number)[] => [`t${c}`, ...Array.from({ length: 4 }, (_, s) => (s % 2 === 0 ? 100 * c + s : `学生-${c}-${s}`))];

const streams: Record<'enter' | 'av' | 'courseware' | 'signal', string[]> = { enter: [], av: [], courseware: [], signal: [] };
const maxTm: Record<string, number> = { enter: START, av: START, courseware: START, signal: START };
const teacherPage = new Map<number, number>();
let clock = START;

function base(c: number, kind: keyof typeof streams): Line {
  const list = users(c);
  const u = random.nextBoolean(0.25) ? 0 : 1 + random.nextInt(list.length - 1);
  let tm = clock + random.nextIntBetween(-4_000, 1_000);
  if (random.nextBoolean(0.02)) tm = maxTm[kind]! - 6_000 - random.nextIntBetween(1, 40_000);
  maxTm[kind] = Math.max(maxTm[kind]!, tm);
  return { tm, classroom_id: classroomId(c), user_id: list[u], role: u === 0 ? 'teacher' : 'student' };
}

function event(kind: keyof typeof streams, c: number): Line {
  const line = base(c, kind);
  switch (kind) {
    case 'enter':
      return { ...line, result: random.nextBoolean(0.15) ? 'fail' : 'success', component: random.pick(['media', 'channel', 'courseware', null]), duration_ms: random.pick([800, 2_400, 10_000, 10_001, 15_000, 400]) };
    case 'av':
      return { ...line, metric: random.nextBoolean(0.5) ? 'ok' : random.pick(['stutter', 'no_audio', 'no_video']), device: 'iPad 📱' };
    case 'courseware': {
      const roll = random.nextFloat();
      if (roll < 0.1) return { ...line, event: random.pick(['load_fail', 'draw_fail']) };
      const page = Math.max(1, (teacherPage.get(c) ?? 1) + (line.role === 'teacher' ? random.nextInt(2) : -random.nextInt(3)));
      if (line.role === 'teacher') teacherPage.set(c, page);
      return { ...line, event: 'page_turn', page };
    }
    case 'signal':
      return { ...line, event: random.pick(['connect', 'disconnect', 'heartbeat', 'heartbeat']) };
  }
}

const MALFORMED = ['{"tm": "soon", "classroom_id": 1, "user_id": 2, "role": "student"}', '{"tm": 1, "classroom_id": 1, "user_id": 2, "role": "admin"}', '{not json', '{"tm": 1700000000000, "classroom_id": null, "user_id": 2, "role": "student"}'];

const kinds = ['enter', 'av', 'av', 'av', 'courseware', 'courseware', 'signal', 'signal'] as const;
for (let i = 0; i < records; i++) {
  clock += random.nextIntBetween(0, 400);
  const kind = random.pick(kinds);
  const c = random.nextInt(classrooms);
  const roll = random.nextFloat();
  if (roll < 0.02) {
    streams[kind].push(random.pick(MALFORMED));
  } else if (roll < 0.03) {
    streams[kind].push(JSON.stringify({ ...event(kind, c), tm: FUTURE + i }));
  } else if (roll < 0.04 && kind === 'signal') {
    // A disconnect and a connect at the same tm: the disconnect label still holds.
    const line = base(c, kind);
    streams.signal.push(JSON.stringify({ ...line, event: 'disconnect' }), JSON.stringify({ ...line, event: 'connect' }));
  } else if (roll < 0.05) {
    // A teacher and a student record of one user at the same tm: the role is teacher.
    const line = event(kind, c);
    streams[kind].push(JSON.stringify({ ...line, role: 'student' }), JSON.stringify({ ...line, role: 'teacher' }));
  } else {
    streams[kind].push(JSON.stringify(event(kind, c)));
  }
}
const dim: string[] = [];
for (let c = 0; c < classrooms; c++) {
  if (c % 5 === 4) continue;
  dim.push(JSON.stringify({ classroom_id: classroomId(c), course_id: `C-${1000 + c}`, teacher_name: random.pick(['王老师', 'Ms. Núñez', '李老师', 'Mr. O’Brien']), level: random.pick(['小学', '初中', 'A1', 'B2']) }));
}
mkdirSync(dir, { recursive: true });
for (const [kind, lines] of Object.entries(streams)) writeFileSync(join(dir, `${kind}.jsonl`), lines.length > 0 ? `${lines.join('\n')}\n` : '');
writeFileSync(join(dir, 'classrooms.jsonl'), `${dim.join('\n')}\n`);
