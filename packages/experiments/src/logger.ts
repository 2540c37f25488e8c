/** The logging this package does: pino-compatible (`warn(details, message)`), silent by default. */
export interface ExperimentLogger {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export const silentLogger: ExperimentLogger = {
  warn: () => undefined,
  error: () => undefined,
};
