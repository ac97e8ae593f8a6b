/**
 * Names of the part files a file sink writes: hidden while in progress, visible once committed.
 */
import type { SinkContext } from '../../common/connector/sink.ts';

/** Identifies one part file of one writer attempt. */
export interface PartFileId {
  readonly operatorId: string;
  readonly subtaskIndex: number;
  readonly attempt: number;
  readonly part: number;
}

/** The part file `part` of a writer. */
export function partFileId(context: SinkContext, part: number): PartFileId {
  return { operatorId: context.operatorId, subtaskIndex: context.subtaskIndex, attempt: context.attempt, part };
}

/**
 * `.part-<operator>-<subtask>-<attempt>-<n>.inprogress`: starts with `.`, so it is not part of
 * the output (see PIPELINES.md, "File outputs").
 */
export function inProgressName(id: PartFileId): string {
  return `.part-${stem(id)}.inprogress`;
}

/**
 * `part-<operator>-<subtask>-<attempt>-<n>.jsonl`. The operator id keeps two sinks writing into
 * the same directory apart; the attempt keeps a retried subtask from touching an earlier
 * attempt's files.
 */
export function committedName(id: PartFileId): string {
  return `part-${stem(id)}.jsonl`;
}

function stem(id: PartFileId): string {
  const operator = id.operatorId.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${operator}-${id.subtaskIndex}-${id.attempt}-${id.part}`;
}
