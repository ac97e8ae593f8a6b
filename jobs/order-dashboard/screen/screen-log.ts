/** The screen server's structured log: JSON lines on stderr, so stdout carries only its URL. */
import { pino } from 'pino';

/** The logger of the screen server. */
export const log = pino({ name: 'order-dashboard-screen', level: process.env.SLUICE_LOG_LEVEL ?? 'info' }, pino.destination(2));
