import { describe, expect, it } from 'vitest';
import { ExponentialDelayRestartStrategy } from '../../../jobmanager/restart/exponential-delay-restart-strategy.ts';
import { FailureRateRestartStrategy } from '../../../jobmanager/restart/failure-rate-restart-strategy.ts';
import { FixedDelayRestartStrategy } from '../../../jobmanager/restart/fixed-delay-restart-strategy.ts';
import { NoRestartStrategy } from '../../../jobmanager/restart/no-restart-strategy.ts';
import { createRestartStrategy, DEFAULT_RESTART_STRATEGY, parseRestartStrategy } from '../../../jobmanager/restart/restart-strategy-config.ts';

describe('createRestartStrategy', () => {
  it('defaults to exponential-delay 200 ms .. 10 s, x2, reset after 60 s, 20 attempts', () => {
    const s = createRestartStrategy();
    expect(s).toBeInstanceOf(ExponentialDelayRestartStrategy);
    expect(s.describe()).toBe('exponential-delay(200..10000 ms, x2, reset after 60000 ms, 20 attempts)');
    expect(DEFAULT_RESTART_STRATEGY).toMatchObject({ initialDelayMs: 200, maxDelayMs: 10_000, multiplier: 2, resetAfterMs: 60_000, attempts: 20 });
    const delays: (number | undefined)[] = [];
    for (let i = 0; i < 21; i++) delays.push(s.onFailure(i));
    expect(delays.slice(0, 7)).toEqual([200, 400, 800, 1600, 3200, 6400, 10_000]);
    expect(delays[19]).toBe(10_000);
    expect(delays[20]).toBeUndefined();
  });

  it('builds each type, filling omitted exponential settings from the default', () => {
    expect(createRestartStrategy({ type: 'none' })).toBeInstanceOf(NoRestartStrategy);
    const fixed = createRestartStrategy({ type: 'fixed-delay', attempts: 2, delayMs: 50 });
    expect(fixed).toBeInstanceOf(FixedDelayRestartStrategy);
    expect(fixed.describe()).toBe('fixed-delay(2 attempts, 50 ms)');
    const rate = createRestartStrategy({ type: 'failure-rate', maxFailures: 3, intervalMs: 1000, delayMs: 5 });
    expect(rate).toBeInstanceOf(FailureRateRestartStrategy);
    expect(rate.describe()).toBe('failure-rate(3 failures per 1000 ms, 5 ms)');
    expect(createRestartStrategy({ type: 'exponential-delay', maxDelayMs: 1000 }).describe()).toBe(
      'exponential-delay(200..1000 ms, x2, reset after 60000 ms, 20 attempts)',
    );
  });

  it('returns a fresh strategy each time, so jobs do not share history', () => {
    const options = { type: 'fixed-delay', attempts: 1, delayMs: 0 } as const;
    const a = createRestartStrategy(options);
    const b = createRestartStrategy(options);
    expect(a.onFailure(0)).toBe(0);
    expect(a.onFailure(1)).toBeUndefined();
    expect(b.onFailure(2)).toBe(0);
  });
});

describe('parseRestartStrategy', () => {
  it('parses every type', () => {
    expect(parseRestartStrategy('none')).toEqual({ type: 'none' });
    expect(parseRestartStrategy('fixed-delay:attempts=3,delay=500')).toEqual({ type: 'fixed-delay', attempts: 3, delayMs: 500 });
    expect(parseRestartStrategy('exponential-delay:initial=200,max=10000,multiplier=2,reset=60000,attempts=20')).toEqual({
      type: 'exponential-delay',
      initialDelayMs: 200,
      maxDelayMs: 10_000,
      multiplier: 2,
      resetAfterMs: 60_000,
      attempts: 20,
    });
    expect(parseRestartStrategy('exponential-delay:multiplier=1.5,jitter=0.1')).toEqual({ type: 'exponential-delay', multiplier: 1.5, jitterFactor: 0.1 });
    expect(parseRestartStrategy('failure-rate:max=3,interval=60000,delay=500')).toEqual({ type: 'failure-rate', maxFailures: 3, intervalMs: 60_000, delayMs: 500 });
  });

  it('takes the exponential defaults when no parameters are given, and tolerates spaces', () => {
    expect(parseRestartStrategy('exponential-delay')).toEqual({ type: 'exponential-delay' });
    expect(createRestartStrategy(parseRestartStrategy('exponential-delay')).describe()).toBe(createRestartStrategy().describe());
    expect(parseRestartStrategy(' fixed-delay : attempts = 3 , delay = 0 ')).toEqual({ type: 'fixed-delay', attempts: 3, delayMs: 0 });
  });

  it('produces options that create the strategy they describe', () => {
    const s = createRestartStrategy(parseRestartStrategy('fixed-delay:attempts=1,delay=250'));
    expect(s.onFailure(0)).toBe(250);
    expect(s.onFailure(1)).toBeUndefined();
  });

  it.each([
    ['', /unknown type ""/],
    ['sometimes', /unknown type "sometimes"; expected one of none, fixed-delay, exponential-delay, failure-rate/],
    ['fixed:attempts=3', /unknown type "fixed"/],
    ['none:attempts=1', /unknown key "attempts" for none; it takes no parameters/],
    ['fixed-delay:attempts=3,delay=500,backoff=2', /unknown key "backoff" for fixed-delay; expected attempts, delay/],
    ['fixed-delay:attempts=3,delay=500,delay=600', /key "delay" given twice/],
    ['fixed-delay:attempts=3', /fixed-delay needs delay/],
    ['fixed-delay', /fixed-delay needs attempts, delay/],
    ['failure-rate:max=3', /failure-rate needs interval, delay/],
    ['fixed-delay:attempts=three,delay=500', /attempts must be a number, got "three"/],
    ['fixed-delay:attempts=3,delay=', /delay must be a number, got ""/],
    ['fixed-delay:attempts=3,delay=1e3', /delay must be a number, got "1e3"/],
    ['fixed-delay:attempts=3,delay=-5', /delay must not be negative, got -5/],
    ['fixed-delay:attempts=2.5,delay=5', /attempts must be a whole number, got 2.5/],
    ['fixed-delay:attempts=3,,delay=5', /"" is not key=value/],
    ['fixed-delay:attempts', /"attempts" is not key=value/],
    ['exponential-delay:initial=5000,max=1000', /initialDelayMs \(5000\) must not exceed maxDelayMs \(1000\)/],
    ['exponential-delay:multiplier=0.5', /multiplier must be a finite number >= 1/],
    ['exponential-delay:jitter=2', /jitterFactor must be in \[0, 1\]/],
    ['failure-rate:max=3,interval=0,delay=5', /intervalMs must be a finite number > 0/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseRestartStrategy(spec)).toThrow(message);
    expect(() => parseRestartStrategy(spec)).toThrow(`invalid restart strategy ${JSON.stringify(spec)}: `);
  });
});
