/** Why an optional package could not be used: absent, or present but failing to load or initialise. */
export interface SkipReason {
  kind: 'absent' | 'failed';
  message: string;
}

/** Whether `error` is Node's "cannot find module `specifier`" (not a missing file deeper inside it). */
export function isModuleNotFound(error: unknown, specifier: string): boolean {
  // Duck-typed, not `instanceof Error`: a loader's error may come from another realm (jest's resolver).
  const { code, message } = errorFields(error);
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  return message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`);
}

function errorFields(error: unknown): { code: unknown; message: string } {
  if (typeof error !== 'object' || error === null) return { code: undefined, message: String(error) };
  const e = error as { code?: unknown; message?: unknown };
  return { code: e.code, message: typeof e.message === 'string' ? e.message : String(error) };
}

/** A skip reason for an error raised while loading or initialising `specifier`. */
export function skipReason(error: unknown, specifier: string): SkipReason {
  if (isModuleNotFound(error, specifier)) return { kind: 'absent', message: `${specifier} is not installed` };
  const text = errorFields(error).message.split('\n')[0];
  return { kind: 'failed', message: `${specifier} failed to load: ${text}` };
}

/**
 * Loads an optional package only when asked (the native TensorFlow bindings and Dawn are optional
 * dependencies that fail to install on machines without their binaries). A dynamic import with a
 * computed specifier keeps bundlers and the compiler from resolving it eagerly.
 */
export async function importOptional<T>(specifier: string): Promise<T> {
  return (await import(specifier)) as T;
}
