/**
 * Test helper: the contexts a TaskManager gives readers and writers.
 */
import type { SinkContext } from '../../../common/connector/sink.ts';
import type { SourceReaderContext } from '../../../common/connector/source.ts';

/** The context of source subtask `subtaskIndex` of `parallelism`. */
export function readerContext(subtaskIndex = 0, parallelism = 1): SourceReaderContext {
  return { jobId: 'job-1', operatorId: 'source-1', inputName: 'in', subtaskIndex, parallelism, maxParallelism: 128 };
}

/** A sink context whose `pushCollected` batches land in `collected`. */
export interface TestSinkContext extends SinkContext {
  readonly collected: unknown[][];
}

/** The context of sink subtask `subtaskIndex` of `parallelism`, without checkpointing unless overridden. */
export function sinkContext(subtaskIndex = 0, parallelism = 1, attempt = 0, overrides: Partial<SinkContext> = {}): TestSinkContext {
  const collected: unknown[][] = [];
  return {
    jobId: 'job-1',
    operatorId: 'sink-1',
    subtaskIndex,
    parallelism,
    attempt,
    checkpointing: false,
    collected,
    async pushCollected(records) {
      collected.push([...records]);
    },
    ...overrides,
  };
}
