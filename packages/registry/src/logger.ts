/** Where the registry reports what it survives without failing (a lost Redis announcement). */
export interface RegistryLogger {
  warn(message: string, details?: Record<string, unknown>): void;
}

export const consoleLogger: RegistryLogger = {
  warn(message, details) {
    if (details) console.warn(`[registry] ${message}`, details);
    else console.warn(`[registry] ${message}`);
  },
};
