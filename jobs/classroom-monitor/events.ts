/** The four event streams of a live classroom, and what makes one of their lines malformed or unnatural. */

/** The inputs, by their argument names. */
export const KINDS = ['enter', 'av', 'courseware', 'signal'] as const;
/** Which stream a record came from. */
export type Kind = (typeof KINDS)[number];
/** Who sent an event. */
export type Role = 'teacher' | 'student';
/** A classroom or user id as it came: a string or a safe integer. */
export type Id = string | number;

/** A valid event of any stream, as read (extra fields kept). */
export interface ClassEvent {
  readonly tm: number;
  readonly classroom_id: Id;
  readonly user_id: Id;
  readonly role: Role;
  readonly result?: 'success' | 'fail';
  readonly component?: 'media' | 'channel' | 'courseware' | null;
  readonly duration_ms?: number;
  readonly metric?: 'stutter' | 'no_audio' | 'no_video' | 'ok';
  readonly event?: string;
  readonly page?: number;
  readonly [extra: string]: unknown;
}

/** A record with `tm` this far ahead of the wall clock is unnatural. */
export const MAX_AHEAD_MS = 60_000;

/**
 * Starts the `validate` message of an unnatural record: the source sends it the malformed way (so
 * that it moves no watermark), and the job routes it to `unnatural` rather than `filtered`.
 */
export const UNNATURAL_MARK = 'unnatural: ';

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isId(value: unknown): value is Id {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

function oneOf(record: Record<string, unknown>, field: string, choices: readonly string[]): string | undefined {
  const value = record[field];
  if (typeof value === 'string' && choices.includes(value)) return undefined;
  return `${field} must be one of ${choices.map((c) => `"${c}"`).join(', ')}, got ${show(value)}`;
}

/** Why a record of stream `kind` is malformed, or undefined when it is valid. */
export function invalidEvent(kind: Kind, record: Record<string, unknown>): string | undefined {
  if (!isInteger(record.tm)) return `tm must be an integer, got ${show(record.tm)}`;
  if (!isId(record.classroom_id)) return `classroom_id must be a string or a safe integer, got ${show(record.classroom_id)}`;
  if (!isId(record.user_id)) return `user_id must be a string or a safe integer, got ${show(record.user_id)}`;
  const role = oneOf(record, 'role', ['teacher', 'student']);
  if (role) return role;
  switch (kind) {
    case 'enter': {
      const result = oneOf(record, 'result', ['success', 'fail']);
      if (result) return result;
      if (record.component !== undefined && record.component !== null) {
        const component = oneOf(record, 'component', ['media', 'channel', 'courseware']);
        if (component) return component;
      }
      return isInteger(record.duration_ms) ? undefined : `duration_ms must be an integer, got ${show(record.duration_ms)}`;
    }
    case 'av':
      return oneOf(record, 'metric', ['stutter', 'no_audio', 'no_video', 'ok']);
    case 'courseware': {
      const event = oneOf(record, 'event', ['load_fail', 'draw_fail', 'page_turn']);
      if (event) return event;
      return record.event !== 'page_turn' || isInteger(record.page) ? undefined : `page must be an integer for a page_turn, got ${show(record.page)}`;
    }
    case 'signal':
      return oneOf(record, 'event', ['connect', 'disconnect', 'heartbeat']);
  }
}

/**
 * The `validate` of stream `kind`: a malformed record's message, the unnatural mark for a valid
 * record whose `tm` is more than 60 s after the wall clock when it is read, or undefined.
 */
export function eventValidator(kind: Kind, clock: () => number = Date.now): (record: Record<string, unknown>) => string | undefined {
  return (record) => {
    const invalid = invalidEvent(kind, record);
    if (invalid !== undefined) return invalid;
    const ahead = (record.tm as number) - clock();
    return ahead > MAX_AHEAD_MS ? `${UNNATURAL_MARK}tm is ${ahead} ms ahead of the wall clock (more than ${MAX_AHEAD_MS} ms)` : undefined;
  };
}

/** A valid event with the stream it came from and when it was read (wall clock). */
export interface Tagged {
  readonly input: Kind;
  readonly record: ClassEvent;
  readonly ingestion_ms: number;
}

/** A record echoed to `late` or `unnatural`. */
export interface Echoed {
  readonly input: string;
  readonly record: unknown;
}
