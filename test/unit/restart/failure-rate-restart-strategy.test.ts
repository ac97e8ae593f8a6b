import { describe, expect, it } from 'vitest';
import { FailureRateRestartStrategy } from '../../../jobmanager/restart/failure-rate-restart-strategy.ts';

describe('FailureRateRestartStrategy', () => {
  it('allows maxFailures restarts within the interval and gives up on the next one', () => {
    const s = new FailureRateRestartStrategy({ maxFailures: 3, intervalMs: 60_000, delayMs: 500 });
    expect(s.onFailure(0)).toBe(500);
    expect(s.onFailure(10_000)).toBe(500);
    expect(s.onFailure(20_000)).toBe(500);
    expect(s.onFailure(59_999)).toBeUndefined();
    expect(s.restarts).toBe(3);
    expect(s.onFailure(1_000_000)).toBeUndefined();
  });

  it('slides the window: a failure stops counting once it is intervalMs old', () => {
    const s = new FailureRateRestartStrategy({ maxFailures: 2, intervalMs: 1_000, delayMs: 0 });
    expect(s.onFailure(0)).toBe(0);
    expect(s.onFailure(600)).toBe(0);
    // The window is (now - 1_000, now]: at 1_000 it holds only the failure at 600.
    expect(s.onFailure(1_000)).toBe(0);
    // At 1_500 it holds 600 and 1_000.
    expect(s.onFailure(1_500)).toBeUndefined();
    expect(s.restarts).toBe(3);

    const early = new FailureRateRestartStrategy({ maxFailures: 2, intervalMs: 1_000, delayMs: 0 });
    early.onFailure(0);
    early.onFailure(600);
    expect(early.onFailure(999)).toBeUndefined();
  });

  it('restarts forever when failures are spread out', () => {
    const s = new FailureRateRestartStrategy({ maxFailures: 1, intervalMs: 60_000, delayMs: 100 });
    for (let i = 0; i < 50; i++) expect(s.onFailure(i * 60_000)).toBe(100);
    expect(s.restarts).toBe(50);
    expect(s.onFailure(49 * 60_000 + 59_999)).toBeUndefined();
  });

  it('never restarts with maxFailures 0', () => {
    expect(new FailureRateRestartStrategy({ maxFailures: 0, intervalMs: 1, delayMs: 0 }).onFailure(0)).toBeUndefined();
  });

  it('describes itself and rejects bad settings', () => {
    expect(new FailureRateRestartStrategy({ maxFailures: 3, intervalMs: 60_000, delayMs: 500 }).describe()).toBe(
      'failure-rate(3 failures per 60000 ms, 500 ms)',
    );
    expect(new FailureRateRestartStrategy({ maxFailures: 1, intervalMs: 1000, delayMs: 0 }).describe()).toBe('failure-rate(1 failure per 1000 ms, 0 ms)');
    expect(() => new FailureRateRestartStrategy({ maxFailures: -1, intervalMs: 1000, delayMs: 0 })).toThrow(/maxFailures/);
    expect(() => new FailureRateRestartStrategy({ maxFailures: 1, intervalMs: 0, delayMs: 0 })).toThrow(/intervalMs/);
    expect(() => new FailureRateRestartStrategy({ maxFailures: 1, intervalMs: 1000, delayMs: -1 })).toThrow(/delayMs/);
  });
});
