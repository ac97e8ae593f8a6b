import { describe, expect, it } from 'vitest';
import { ExponentialDelayRestartStrategy, type ExponentialDelayRestartOptions } from '../../../jobmanager/restart/exponential-delay-restart-strategy.ts';

const base: ExponentialDelayRestartOptions = { initialDelayMs: 200, maxDelayMs: 10_000, resetAfterMs: 60_000 };

/** Fails `n` times, each failure right after the previous restart (no stable run). */
function failInARow(s: ExponentialDelayRestartStrategy, n: number, start = 0): { delays: (number | undefined)[]; now: number } {
  const delays: (number | undefined)[] = [];
  let now = start;
  for (let i = 0; i < n; i++) {
    const d = s.onFailure(now);
    delays.push(d);
    now += (d ?? 0) + 10;
  }
  return { delays, now };
}

describe('ExponentialDelayRestartStrategy', () => {
  it('doubles the delay by default and caps it at the maximum', () => {
    const s = new ExponentialDelayRestartStrategy(base);
    const { delays } = failInARow(s, 10);
    expect(delays).toEqual([200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000, 10_000]);
    expect(s.restarts).toBe(10);
  });

  it('applies a custom multiplier and rounds to whole ms', () => {
    const s = new ExponentialDelayRestartStrategy({ ...base, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 1.5 });
    expect(failInARow(s, 7).delays).toEqual([100, 150, 225, 338, 506, 759, 1000]);
  });

  it('gives up after maxAttempts consecutive restarts, and stays given up', () => {
    const s = new ExponentialDelayRestartStrategy({ ...base, maxAttempts: 3 });
    const { delays, now } = failInARow(s, 4);
    expect(delays).toEqual([200, 400, 800, undefined]);
    expect(s.restarts).toBe(3);
    expect(s.onFailure(now + 1_000_000)).toBeUndefined();
  });

  it('resets the backoff after a stable run reported by onRunning', () => {
    const s = new ExponentialDelayRestartStrategy(base);
    failInARow(s, 3);
    // The run after the third restart starts when the job reports RUNNING at t=10_000.
    s.onRunning(10_000);
    s.onRunning(69_999);
    expect(s.onFailure(69_999)).toBe(1600);
    s.onRunning(80_000);
    s.onRunning(140_000);
    expect(s.onFailure(140_001)).toBe(200);
    expect(s.onFailure(140_300)).toBe(400);
    expect(s.restarts).toBe(6);
  });

  it('measures the run from the first onRunning after a failure, not the later ones', () => {
    const s = new ExponentialDelayRestartStrategy(base);
    expect(s.onFailure(0)).toBe(200);
    s.onRunning(1_000);
    s.onRunning(30_000);
    expect(s.onFailure(60_999)).toBe(400);
    s.onRunning(62_000);
    expect(s.onFailure(121_999)).toBe(800);
    s.onRunning(122_000);
    expect(s.onFailure(182_000)).toBe(200);
  });

  it('resets without onRunning when the failure comes resetAfterMs after the scheduled restart', () => {
    const s = new ExponentialDelayRestartStrategy(base);
    expect(s.onFailure(0)).toBe(200);
    expect(s.onFailure(60_199)).toBe(400);
    // Restart scheduled at 60_199 + 400 = 60_599; stable for 60 s at 120_599.
    expect(s.onFailure(120_599)).toBe(200);
  });

  it('a reset gives maxAttempts fresh attempts, so an occasionally failing job never gives up', () => {
    const s = new ExponentialDelayRestartStrategy({ ...base, maxAttempts: 2 });
    let now = 0;
    for (let i = 0; i < 10; i++) {
      expect(s.onFailure(now)).toBe(200);
      now += 200;
      s.onRunning(now);
      now += 60_000;
      s.onRunning(now);
    }
    expect(s.restarts).toBe(10);
    const { delays } = failInARow(s, 3, now);
    expect(delays).toEqual([200, 400, undefined]);
  });

  it('onRunning before any failure changes nothing', () => {
    const s = new ExponentialDelayRestartStrategy(base);
    s.onRunning(0);
    s.onRunning(1_000_000);
    expect(s.onFailure(1_000_001)).toBe(200);
    expect(s.onFailure(1_000_300)).toBe(400);
  });

  it('spreads delays by the jitter factor and never above the cap', () => {
    const lowest = new ExponentialDelayRestartStrategy({ ...base, initialDelayMs: 1000, jitterFactor: 0.5, random: () => 0 });
    expect(lowest.onFailure(0)).toBe(500);
    const highest = new ExponentialDelayRestartStrategy({ ...base, initialDelayMs: 1000, maxDelayMs: 1200, jitterFactor: 0.5, random: () => 0.999_999 });
    expect(highest.onFailure(0)).toBe(1200);
    const random = [0.25, 0.75];
    const mid = new ExponentialDelayRestartStrategy({ ...base, initialDelayMs: 1000, jitterFactor: 0.2, random: () => random.shift() ?? 0.5 });
    expect(mid.onFailure(0)).toBe(900);
    expect(mid.onFailure(1_000)).toBe(2200);
  });

  it('does not draw random numbers when the jitter factor is 0', () => {
    const s = new ExponentialDelayRestartStrategy({ ...base, random: () => { throw new Error('random used'); } });
    expect(s.onFailure(0)).toBe(200);
  });

  it('describes itself and rejects bad settings', () => {
    expect(new ExponentialDelayRestartStrategy({ ...base, maxAttempts: 20 }).describe()).toBe(
      'exponential-delay(200..10000 ms, x2, reset after 60000 ms, 20 attempts)',
    );
    expect(new ExponentialDelayRestartStrategy({ ...base, jitterFactor: 0.1 }).describe()).toBe(
      'exponential-delay(200..10000 ms, x2, reset after 60000 ms, jitter 0.1, unlimited attempts)',
    );
    expect(() => new ExponentialDelayRestartStrategy({ ...base, initialDelayMs: 20_000 })).toThrow(/must not exceed maxDelayMs/);
    expect(() => new ExponentialDelayRestartStrategy({ ...base, multiplier: 0.5 })).toThrow(/multiplier/);
    expect(() => new ExponentialDelayRestartStrategy({ ...base, jitterFactor: 1.5 })).toThrow(/jitterFactor/);
    expect(() => new ExponentialDelayRestartStrategy({ ...base, resetAfterMs: -1 })).toThrow(/resetAfterMs/);
    expect(() => new ExponentialDelayRestartStrategy({ ...base, maxAttempts: -2 })).toThrow(/maxAttempts/);
  });
});
