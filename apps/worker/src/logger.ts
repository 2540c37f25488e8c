import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout (pino), one logger per process; processors log through children of it. */
export function createLogger(options: { level: string; workerId: string }): Logger {
  return pino({ level: options.level, base: { workerId: options.workerId, pid: process.pid } });
}
