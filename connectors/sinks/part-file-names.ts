/**
 * Names of the part files a file sink writes: hidden while in progress or pending a commit,
 * visible once committed (see PIPELINES.md, "File outputs").
 *
 * - in progress: `.part-<operator>-<subtask>-<writer>-<n>.inprogress`
 * - pending (pre-committed at a checkpoint, waiting for it to complete):
 *   `.part-<operator>-<subtask>-<writer>-<n>.pending`
 * - committed: `part-<operator>-<subtask>-<writer>-<n>.jsonl`
 *
 * `<operator>` is the sink's operator id with characters other than letters, digits, `_` and `-`
 * replaced by `_`: it keeps two sinks writing into the same directory apart. `<subtask>` is the
 * subtask index, which tells on restore which subtask cleans a leftover up. `<writer>` is a
 * random id drawn by each writer, so that no attempt, restart or JobManager restart ever reuses
 * a name. `<n>` counts the parts of one writer from 0.
 */
import { randomBytes } from 'node:crypto';
import type { SinkContext } from '../../common/connector/sink.ts';

/** Identifies one part file of one writer. */
export interface PartFileId {
  readonly operatorId: string;
  readonly subtaskIndex: number;
  /** The writer's random id (`newWriterId`). */
  readonly writerId: string;
  readonly part: number;
}

/** The state a hidden part file is in, told by its suffix. */
export type HiddenPartKind = 'inprogress' | 'pending';

/** What the name of a hidden part file says. */
export interface HiddenPartName {
  /** The operator id as it appears in names (see `operatorInName`). */
  readonly operator: string;
  readonly subtaskIndex: number;
  readonly writerId: string;
  readonly part: number;
  readonly kind: HiddenPartKind;
}

/** A fresh random writer id: 8 lowercase hex characters. */
export function newWriterId(): string {
  return randomBytes(4).toString('hex');
}

/** The part file `part` of the writer `writerId` of a sink subtask. */
export function partFileId(context: SinkContext, writerId: string, part: number): PartFileId {
  return { operatorId: context.operatorId, subtaskIndex: context.subtaskIndex, writerId, part };
}

/** `.part-<operator>-<subtask>-<writer>-<n>.inprogress`: being written, not part of the output. */
export function inProgressName(id: PartFileId): string {
  return `.part-${stem(id)}.inprogress`;
}

/** `.part-<operator>-<subtask>-<writer>-<n>.pending`: durable, waiting for its checkpoint to complete. */
export function pendingName(id: PartFileId): string {
  return `.part-${stem(id)}.pending`;
}

/** `part-<operator>-<subtask>-<writer>-<n>.jsonl`: committed, part of the output. */
export function committedName(id: PartFileId): string {
  return `part-${stem(id)}.jsonl`;
}

/** The operator id as it appears in part file names. */
export function operatorInName(operatorId: string): string {
  return operatorId.replace(/[^A-Za-z0-9_-]/g, '_');
}

const HIDDEN_PART = /^\.part-(.+)-(\d+)-([0-9a-f]{8})-(\d+)\.(inprogress|pending)$/;

/**
 * Parses the name of an in-progress or pending part file, or returns undefined for any other
 * name. The writer id has a fixed form, so an operator id containing `-` still parses exactly.
 */
export function parseHiddenPartName(name: string): HiddenPartName | undefined {
  const match = HIDDEN_PART.exec(name);
  if (match === null) return undefined;
  const [, operator, subtask, writerId, part, kind] = match as unknown as [string, string, string, string, string, HiddenPartKind];
  return { operator, subtaskIndex: Number(subtask), writerId, part: Number(part), kind };
}

function stem(id: PartFileId): string {
  return `${operatorInName(id.operatorId)}-${id.subtaskIndex}-${id.writerId}-${id.part}`;
}
