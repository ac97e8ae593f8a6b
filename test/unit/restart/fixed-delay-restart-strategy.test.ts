import { describe, expect, it } from 'vitest';
import { FixedDelayRestartStrategy } from '../../../jobmanager/restart/fixed-delay-restart-strategy.ts';
import { NoRestartStrategy } from '../../../jobmanager/restart/no-restart-strategy.ts';

describe('FixedDelayRestartStrategy', () => {
  it('restarts after the same delay until the attempts are used up, then gives up for good', () => {
    const s = new FixedDelayRestartStrategy({ maxAttempts: 3, delayMs: 1000 });
    expect(s.onFailure(0)).toBe(1000);
    expect(s.onFailure(5_000)).toBe(1000);
    expect(s.onFailure(1_000_000)).toBe(1000);
    expect(s.restarts).toBe(3);
    expect(s.onFailure(2_000_000)).toBeUndefined();
    expect(s.onFailure(9_000_000)).toBeUndefined();
    expect(s.restarts).toBe(3);
  });

  it('never restarts with zero attempts and always restarts with Infinity', () => {
    expect(new FixedDelayRestartStrategy({ maxAttempts: 0, delayMs: 10 }).onFailure(0)).toBeUndefined();
    const unlimited = new FixedDelayRestartStrategy({ maxAttempts: Infinity, delayMs: 10 });
    for (let i = 0; i < 1000; i++) expect(unlimited.onFailure(i)).toBe(10);
    expect(unlimited.restarts).toBe(1000);
    expect(unlimited.describe()).toBe('fixed-delay(unlimited attempts, 10 ms)');
  });

  it('describes itself and rejects bad settings', () => {
    expect(new FixedDelayRestartStrategy({ maxAttempts: 3, delayMs: 1000 }).describe()).toBe('fixed-delay(3 attempts, 1000 ms)');
    expect(new FixedDelayRestartStrategy({ maxAttempts: 1, delayMs: 0 }).describe()).toBe('fixed-delay(1 attempt, 0 ms)');
    expect(() => new FixedDelayRestartStrategy({ maxAttempts: -1, delayMs: 10 })).toThrow(/maxAttempts/);
    expect(() => new FixedDelayRestartStrategy({ maxAttempts: 1.5, delayMs: 10 })).toThrow(/maxAttempts/);
    expect(() => new FixedDelayRestartStrategy({ maxAttempts: 1, delayMs: -10 })).toThrow(/delayMs/);
    expect(() => new FixedDelayRestartStrategy({ maxAttempts: 1, delayMs: NaN })).toThrow(/delayMs/);
  });
});

describe('NoRestartStrategy', () => {
  it('gives up on the first failure', () => {
    const s = new NoRestartStrategy();
    expect(s.onFailure(0)).toBeUndefined();
    expect(s.onFailure(1)).toBeUndefined();
    expect(s.restarts).toBe(0);
    expect(s.describe()).toBe('none');
  });
});
