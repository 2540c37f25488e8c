import type { Redis } from 'ioredis';
import { isModelStageName, MODEL_EVENTS_CHANNEL, type ModelStageEvent } from './contract';
import { consoleLogger, type RegistryLogger } from './logger';

/** A message from the channel as an event, or null when it is not one (other publishers, old formats). */
export function parseModelStageEvent(message: string): ModelStageEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    v.kind !== 'stage-changed' ||
    typeof v.versionId !== 'string' ||
    typeof v.placement !== 'string' ||
    typeof v.stage !== 'string' ||
    !isModelStageName(v.stage) ||
    typeof v.at !== 'string'
  ) {
    return null;
  }
  return { kind: 'stage-changed', versionId: v.versionId, placement: v.placement, stage: v.stage, at: v.at };
}

export interface PublishModelEventsOptions {
  logger?: RegistryLogger;
  /**
   * Longest wait for Redis to take one event; an unreachable Redis must not hold up a committed change.
   * @defaultValue 2000
   */
  timeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Announces committed stage changes on MODEL_EVENTS_CHANNEL, in order. Never throws: a failure is
 * logged (serving also re-reads the registry on its own), since the change itself is already committed.
 */
export async function publishModelEvents(
  redis: Redis | undefined,
  events: readonly ModelStageEvent[],
  options: PublishModelEventsOptions = {},
): Promise<void> {
  if (!redis) return;
  const logger = options.logger ?? consoleLogger;
  const timeoutMs = options.timeoutMs ?? 2000;
  for (const event of events) {
    const publishing = redis.publish(MODEL_EVENTS_CHANNEL, JSON.stringify(event));
    // A publish that outlives its timeout must not surface as an unhandled rejection later.
    publishing.catch(() => undefined);
    try {
      await withTimeout(publishing, timeoutMs);
    } catch (error) {
      logger.warn('could not publish a model stage event', {
        event,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

export interface SubscribeModelEventsOptions {
  logger?: RegistryLogger;
}

/**
 * Calls `onEvent` for every stage change announced on MODEL_EVENTS_CHANNEL, over a duplicate of `redis`
 * (a subscribed connection can run no other command). Resolves once subscribed; the function it resolves
 * to unsubscribes and closes that connection. Malformed messages and failing handlers are logged.
 */
export async function subscribeModelEvents(
  redis: Redis,
  onEvent: (event: ModelStageEvent) => void | Promise<void>,
  options: SubscribeModelEventsOptions = {},
): Promise<() => Promise<void>> {
  const logger = options.logger ?? consoleLogger;
  const subscriber = redis.duplicate();
  const onMessage = (channel: string, message: string): void => {
    if (channel !== MODEL_EVENTS_CHANNEL) return;
    const event = parseModelStageEvent(message);
    if (!event) {
      logger.warn('ignored a malformed message on the model events channel', { message });
      return;
    }
    Promise.resolve()
      .then(() => onEvent(event))
      .catch((error: unknown) =>
        logger.warn('a model event handler failed', {
          event,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
  };
  subscriber.on('message', onMessage);
  try {
    await subscriber.subscribe(MODEL_EVENTS_CHANNEL);
  } catch (error) {
    subscriber.disconnect();
    throw error;
  }
  let closed = false;
  return async () => {
    if (closed) return;
    closed = true;
    subscriber.off('message', onMessage);
    try {
      await subscriber.quit();
    } catch {
      subscriber.disconnect();
    }
  };
}
