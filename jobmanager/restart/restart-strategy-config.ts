/**
 * Restart strategy settings: the options as plain JSON-friendly data (so they can travel with a
 * job and be stored by the HA store), the default, the factory, and the parser of the CLI flag.
 *
 * Default: Flink's default with checkpointing on is fixed-delay with practically unlimited
 * attempts, which lets a crash-looping job restart forever at full speed. Sluice instead defaults
 * to exponential-delay: 200 ms initial delay, doubled per restart up to 10 s, reset after 60 s of
 * stable running, and at most 20 restarts between two resets. A job that fails now and then
 * always recovers fast; a job that cannot run at all gives up after about two and a half minutes
 * of backed-off retries and ends FAILED with its cause.
 *
 * Flag syntax (`parseRestartStrategy`): `<type>[:key=value,...]`, values in ms unless named otherwise:
 *   none
 *   fixed-delay:attempts=3,delay=500                      (both required)
 *   exponential-delay:initial=200,max=10000,multiplier=2,reset=60000,jitter=0.1,attempts=20
 *                                                         (all optional, defaults as above)
 *   failure-rate:max=3,interval=60000,delay=500           (all required)
 */
import { ExponentialDelayRestartStrategy } from './exponential-delay-restart-strategy.ts';
import { FailureRateRestartStrategy } from './failure-rate-restart-strategy.ts';
import { FixedDelayRestartStrategy } from './fixed-delay-restart-strategy.ts';
import { NoRestartStrategy } from './no-restart-strategy.ts';
import type { RestartStrategy } from './restart-strategy.ts';

/** Fixed delay: `attempts` restarts in total, each after `delayMs`. */
export interface FixedDelayRestartStrategyOptions {
  readonly type: 'fixed-delay';
  readonly attempts: number;
  readonly delayMs: number;
}

/** Exponential backoff; omitted fields take the values of {@link DEFAULT_RESTART_STRATEGY}. */
export interface ExponentialDelayRestartStrategyOptions {
  readonly type: 'exponential-delay';
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly multiplier?: number;
  readonly resetAfterMs?: number;
  /** Fraction in [0, 1]; 0 keeps the delays deterministic. */
  readonly jitterFactor?: number;
  /** Restarts allowed between two backoff resets. */
  readonly attempts?: number;
}

/** Failure rate: at most `maxFailures` restarts within any `intervalMs`, each after `delayMs`. */
export interface FailureRateRestartStrategyOptions {
  readonly type: 'failure-rate';
  readonly maxFailures: number;
  readonly intervalMs: number;
  readonly delayMs: number;
}

/** No restart: the first failure ends the job. */
export interface NoRestartStrategyOptions {
  readonly type: 'none';
}

/** The restart strategy of a job, as data. */
export type RestartStrategyOptions =
  | FixedDelayRestartStrategyOptions
  | ExponentialDelayRestartStrategyOptions
  | FailureRateRestartStrategyOptions
  | NoRestartStrategyOptions;

/** The kinds of restart strategy. */
export type RestartStrategyType = RestartStrategyOptions['type'];

/** The strategy of jobs that name none; see the module comment for why. */
export const DEFAULT_RESTART_STRATEGY = {
  type: 'exponential-delay',
  initialDelayMs: 200,
  maxDelayMs: 10_000,
  multiplier: 2,
  resetAfterMs: 60_000,
  jitterFactor: 0,
  attempts: 20,
} as const satisfies Required<ExponentialDelayRestartStrategyOptions>;

/** Creates a fresh strategy (one per job) from its options; throws RangeError on invalid settings. */
export function createRestartStrategy(options: RestartStrategyOptions = DEFAULT_RESTART_STRATEGY): RestartStrategy {
  switch (options.type) {
    case 'none':
      return new NoRestartStrategy();
    case 'fixed-delay':
      return new FixedDelayRestartStrategy({ maxAttempts: options.attempts, delayMs: options.delayMs });
    case 'failure-rate':
      return new FailureRateRestartStrategy({ maxFailures: options.maxFailures, intervalMs: options.intervalMs, delayMs: options.delayMs });
    case 'exponential-delay': {
      const d = DEFAULT_RESTART_STRATEGY;
      return new ExponentialDelayRestartStrategy({
        initialDelayMs: options.initialDelayMs ?? d.initialDelayMs,
        maxDelayMs: options.maxDelayMs ?? d.maxDelayMs,
        multiplier: options.multiplier ?? d.multiplier,
        resetAfterMs: options.resetAfterMs ?? d.resetAfterMs,
        jitterFactor: options.jitterFactor ?? d.jitterFactor,
        maxAttempts: options.attempts ?? d.attempts,
      });
    }
    default: {
      const unknown: never = options;
      throw new RangeError(`unknown restart strategy type ${JSON.stringify((unknown as { type?: unknown }).type)}`);
    }
  }
}

/** How a flag value is read: whole number, or any non-negative decimal. */
type ValueKind = 'integer' | 'decimal';

/** The keys each type accepts in the flag, with the option field each one sets. */
const FLAG_KEYS: Record<RestartStrategyType, Record<string, { field: string; kind: ValueKind; required: boolean }>> = {
  none: {},
  'fixed-delay': {
    attempts: { field: 'attempts', kind: 'integer', required: true },
    delay: { field: 'delayMs', kind: 'integer', required: true },
  },
  'exponential-delay': {
    initial: { field: 'initialDelayMs', kind: 'integer', required: false },
    max: { field: 'maxDelayMs', kind: 'integer', required: false },
    multiplier: { field: 'multiplier', kind: 'decimal', required: false },
    reset: { field: 'resetAfterMs', kind: 'integer', required: false },
    jitter: { field: 'jitterFactor', kind: 'decimal', required: false },
    attempts: { field: 'attempts', kind: 'integer', required: false },
  },
  'failure-rate': {
    max: { field: 'maxFailures', kind: 'integer', required: true },
    interval: { field: 'intervalMs', kind: 'integer', required: true },
    delay: { field: 'delayMs', kind: 'integer', required: true },
  },
};

function isStrategyType(value: string): value is RestartStrategyType {
  return Object.hasOwn(FLAG_KEYS, value);
}

/**
 * Parses the value of a `--restart-strategy` flag (syntax in the module comment). Throws an Error
 * naming the spec and the problem: unknown type, unknown, repeated or missing key, a value that is
 * not a plain number, a negative or fractional value, or settings the strategy rejects.
 */
export function parseRestartStrategy(spec: string): RestartStrategyOptions {
  function fail(problem: string): never {
    throw new Error(`invalid restart strategy ${JSON.stringify(spec)}: ${problem}`);
  }
  const text = spec.trim();
  const colon = text.indexOf(':');
  const type = (colon < 0 ? text : text.slice(0, colon)).trim();
  const params = colon < 0 ? '' : text.slice(colon + 1).trim();
  if (!isStrategyType(type)) {
    fail(`unknown type ${JSON.stringify(type)}; expected one of ${Object.keys(FLAG_KEYS).join(', ')}`);
  }
  const keys = FLAG_KEYS[type];
  const known = Object.keys(keys);
  const values: Record<string, number> = {};
  const seen = new Set<string>();
  if (params !== '') {
    for (const part of params.split(',')) {
      const eq = part.indexOf('=');
      if (eq < 0) fail(`${JSON.stringify(part.trim())} is not key=value`);
      const key = part.slice(0, eq).trim();
      const raw = part.slice(eq + 1).trim();
      const def = Object.hasOwn(keys, key) ? keys[key] : undefined;
      if (!def) {
        fail(`unknown key ${JSON.stringify(key)} for ${type}; ${known.length > 0 ? `expected ${known.join(', ')}` : 'it takes no parameters'}`);
      }
      if (seen.has(key)) fail(`key ${JSON.stringify(key)} given twice`);
      seen.add(key);
      if (!/^-?\d+(\.\d+)?$/.test(raw)) fail(`${key} must be a number, got ${JSON.stringify(raw)}`);
      const value = Number(raw);
      if (value < 0) fail(`${key} must not be negative, got ${raw}`);
      if (def.kind === 'integer' && !Number.isInteger(value)) fail(`${key} must be a whole number, got ${raw}`);
      values[def.field] = value;
    }
  }
  const missing = known.filter((key) => keys[key]?.required && !seen.has(key));
  if (missing.length > 0) fail(`${type} needs ${missing.join(', ')}`);
  const options = { type, ...values } as RestartStrategyOptions;
  try {
    createRestartStrategy(options);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  return options;
}
