import { throwIfAborted } from '../contract/errors';
import type { FitContext } from '../contract/recommender';

/**
 * A block boundary in a long synchronous fit loop: lets the event loop run (so an abort from a timer or
 * a request handler can land), then throws ABORTED if the signal fired, and reports progress.
 * Costs a few microseconds; call it every few milliseconds of work, not per inner iteration.
 */
export async function fitCheckpoint(
  context: FitContext,
  model: string,
  fraction: number,
  message?: string,
): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfAborted(context.signal, model);
  context.onProgress?.({
    fraction: Math.min(1, Math.max(0, fraction)),
    ...(message === undefined ? {} : { message }),
  });
}
