import type { Redis } from 'ioredis';
import type { EventSink } from '../events';
import { errorMessage, type Logger } from '../logger';

/**
 * Ready, and its socket not being closed: after `disconnect()` the status stays 'ready' until the close
 * event, while the socket stops being writable at once.
 */
function usable(redis: Redis): boolean {
  return redis.status === 'ready' && redis.stream?.writable === true;
}

/** How often a failing Redis is logged (every failure is still counted). */
const WARN_EVERY_MS = 10_000;

/**
 * The engine's only door to Redis. A command runs only while the client is 'ready', and one that fails
 * or takes longer than `timeoutMs` yields `undefined` instead of throwing: a request never fails, and
 * never waits on a reconnecting client, because of Redis.
 */
export class RedisStore {
  private lastWarnAt = 0;

  constructor(
    private readonly redis: Redis | null,
    private readonly timeoutMs: number,
    private readonly sink: EventSink,
    private readonly logger: Logger,
  ) {}

  get available(): boolean {
    return this.redis !== null && usable(this.redis);
  }

  /** The result of `command`, or undefined when Redis is unavailable, slow or failing. */
  async run<T>(operation: string, command: (redis: Redis) => Promise<T>): Promise<T | undefined> {
    const redis = this.redis;
    if (redis === null || !usable(redis)) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const pending = command(redis);
    try {
      return await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
    } catch (error) {
      pending.catch(() => undefined); // a late rejection of the abandoned command is expected
      this.failed(operation, error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** PING within the timeout. */
  async ping(): Promise<boolean> {
    return (await this.run('ping', (r) => r.ping())) === 'PONG';
  }

  private failed(operation: string, error: unknown): void {
    const message = errorMessage(error);
    this.sink.emit({ type: 'redis-error', operation, error: message });
    const now = Date.now();
    if (now - this.lastWarnAt >= WARN_EVERY_MS) {
      this.lastWarnAt = now;
      this.logger.warn({ operation, err: message }, 'redis command failed; serving without the Redis caches');
    }
  }
}
