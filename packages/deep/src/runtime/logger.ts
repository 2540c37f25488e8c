/** Where the deep package reports what it chose and skipped (the CLI passes its logger, tests a spy). */
export interface DeepLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Writes to stderr, so a command's JSON on stdout stays clean. */
export const stderrLogger: DeepLogger = {
  info: (message) => process.stderr.write(`[deep] ${message}\n`),
  warn: (message) => process.stderr.write(`[deep] warning: ${message}\n`),
};

/** Says nothing. */
export const silentLogger: DeepLogger = { info: () => {}, warn: () => {} };
