/**
 * Lets timers, I/O and abort listeners run between epochs (or half-iterations) of a long synchronous
 * training loop, so an AbortSignal can fire and progress can be sent.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
