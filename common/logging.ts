/**
 * Structured JSON logging for every process. `SLUICE_LOG_LEVEL` sets the level (default `info`);
 * `SLUICE_TRACE` is a comma-separated list of components (or `*`) whose trace output is switched on,
 * for example `SLUICE_TRACE=network,scheduler`.
 */
import { pino, type Logger as PinoLogger } from 'pino';

/** A component logger. */
export type Logger = PinoLogger;

const traced = new Set((process.env.SLUICE_TRACE ?? '').split(',').map((s) => s.trim()).filter(Boolean));

/** Whether trace output is on for a component. */
export function isTraceEnabled(component: string): boolean {
  return traced.has('*') || traced.has(component);
}

const root: PinoLogger = pino(
  {
    level: process.env.SLUICE_LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  },
  pino.destination({ dest: 2, sync: true }),
);

/** Returns the logger of one component; its level is `trace` when `SLUICE_TRACE` names it. */
export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  const logger = root.child({ component, ...bindings });
  if (isTraceEnabled(component)) logger.level = 'trace';
  return logger;
}
