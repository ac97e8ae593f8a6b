/**
 * Queryable state routing in the JobManager: the key of a URL path, the owner subtask of each
 * vertex by key group, vertices without the state skipped, and the errors of an unknown key or
 * state; and the TaskManager's registry of queryable states.
 */
import { describe, expect, it } from 'vitest';
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from '../../common/key-groups.ts';
import type { Execution } from '../../jobmanager/jobmaster/execution-graph.ts';
import { parseStateKey, queryState } from '../../jobmanager/rest/state-query.ts';
import { QueryableStates } from '../../taskmanager/state/queryable-states.ts';
import { FakeTaskManagerGateway } from '../support/fakes/fake-taskmanager-gateway.ts';

function executions(gateways: FakeTaskManagerGateway[], vertices: { id: string; parallelism: number }[]): Execution[] {
  return vertices.flatMap((v) =>
    Array.from({ length: v.parallelism }, (_, subtask) => {
      const gateway = gateways[subtask % gateways.length]!;
      return {
        vertex: { id: v.id, name: v.id, parallelism: v.parallelism, maxParallelism: 128 },
        subtask,
        attempt: 0,
        id: `${v.id}_${subtask}`,
        state: 'RUNNING',
        slot: { taskManager: { id: `tm${subtask % gateways.length}`, gateway }, index: 0, jobId: 'j' },
        failure: '',
        recordsIn: 0,
        recordsOut: 0,
      } as unknown as Execution;
    }),
  );
}

describe('queryable state routing', () => {
  it('reads digits as a number key unless a string is asked for', () => {
    expect(parseStateKey('10007', false)).toBe(10007);
    expect(parseStateKey('-3', false)).toBe(-3);
    expect(parseStateKey('10007', true)).toBe('10007');
    expect(parseStateKey('501,11,71', false)).toBe('501,11,71');
    expect(parseStateKey('99999999999999999999', false)).toBe('99999999999999999999');
  });

  it('asks the owner subtask of each vertex and skips vertices without the state', async () => {
    const gateways = [0, 1, 2].map((i) => new FakeTaskManagerGateway(`tm${i}:1`));
    const key = 10007;
    const owner = computeOperatorIndexForKeyGroup(128, 3, assignToKeyGroup(key, 128));
    gateways[owner % 3]!.stateAnswers.set('level/10007', { status: 'FOUND', valueJson: '{"level":"LOW_STOCK"}' });
    const result = await queryState('j', executions(gateways, [{ id: 'source', parallelism: 1 }, { id: 'level', parallelism: 3 }]), 'level', key);
    expect(result).toEqual({ found: true, body: { name: 'level', key, value: { level: 'LOW_STOCK' }, vertex: 'level', subtask: owner, taskmanager: `tm${owner % 3}` } });
    const asked = gateways.flatMap((g) => g.queries).filter((q) => q.executionId.startsWith('level'));
    expect(asked).toEqual([{ jobId: 'j', executionId: `level_${owner}`, stateName: 'level', keyJson: '10007' }]);
  });

  it('names an unknown key of a declared state, and an undeclared state', async () => {
    const gateway = new FakeTaskManagerGateway('tm0:1');
    gateway.stateAnswers.set('level/1', { status: 'UNKNOWN_KEY', valueJson: '' });
    const list = executions([gateway], [{ id: 'level', parallelism: 1 }]);
    expect(await queryState('j', list, 'level', 1)).toEqual({ found: false, error: 'job j: state "level" has no value for key 1' });
    expect(await queryState('j', list, 'other', 1)).toEqual({ found: false, error: 'job j: no running task declares a queryable state "other"' });
  });
});

describe('a task registry of queryable states', () => {
  it('answers FOUND, UNKNOWN_KEY and UNKNOWN_STATE', () => {
    const states = new QueryableStates();
    states.register('level', (key) => (key === 1 ? { level: 'NONE' } : undefined));
    states.register('level', () => 'ignored');
    expect(states.query('level', 1)).toEqual({ status: 'FOUND', value: { level: 'NONE' } });
    expect(states.query('level', 2)).toEqual({ status: 'UNKNOWN_KEY' });
    expect(states.query('rules', 1)).toEqual({ status: 'UNKNOWN_STATE' });
  });
});
