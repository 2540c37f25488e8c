import type { Redis } from 'ioredis';
import { errorMessage, type Logger } from '../logger';

/** How often a failing subscription is logged. */
const WARN_EVERY_MS = 10_000;

/**
 * The engine's subscription to generation bumps (`UserGenerations.bump` publishes the user's key part on
 * `channel` in the same MULTI as the INCR, so every engine on the Redis hears every bump in order).
 * It runs on a connection of its own (a subscribed connection can do nothing else).
 *
 * `listening` is true only while the subscription is confirmed; whenever the connection drops or comes
 * back, `onReset` is called first, because bumps published meanwhile were not heard (Redis pub/sub is
 * at most once).
 */
export class GenerationBumps {
  private subscribed = false;
  private closed = false;
  private lastWarnAt = 0;

  /** Connects the subscriber once the engine's own client is ready (never, for a Redis that is down). */
  private readonly connect = (): void => {
    if (!this.closed && this.subscriber.status === 'wait')
      this.subscriber.connect().catch((error: unknown) => this.warn(error));
  };

  /**
   * @param subscriber a connection of its own, made with `lazyConnect`
   * @param main the engine's client: the subscriber connects when it is ready
   */
  constructor(
    private readonly subscriber: Redis,
    private readonly main: Redis,
    private readonly channel: string,
    private readonly onBump: (userKey: string) => void,
    private readonly onReset: () => void,
    private readonly logger: Logger,
  ) {
    subscriber.on('message', (from: string, userKey: string) => {
      if (from === channel) onBump(userKey);
    });
    subscriber.on('ready', () => this.subscribe());
    subscriber.on('close', () => this.lost());
    subscriber.on('error', (error: unknown) => this.warn(error));
    if (subscriber.status === 'ready') this.subscribe();
    else if (main.status === 'ready') this.connect();
    else main.once('ready', this.connect);
  }

  /** Whether every bump since the last reset has been heard. */
  get listening(): boolean {
    return this.subscribed && this.subscriber.status === 'ready';
  }

  async close(): Promise<void> {
    this.closed = true;
    this.main.off('ready', this.connect);
    this.lost();
    this.subscriber.disconnect();
  }

  private subscribe(): void {
    this.lost();
    if (this.closed) return;
    this.subscriber.subscribe(this.channel).then(
      () => {
        if (this.closed || this.subscriber.status !== 'ready') return;
        // Nothing was cached while not listening, so nothing heard-before needs clearing here.
        this.subscribed = true;
      },
      (error: unknown) => this.warn(error),
    );
  }

  private lost(): void {
    this.subscribed = false;
    this.onReset();
  }

  private warn(error: unknown): void {
    if (this.closed) return;
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.logger.warn(
      { err: errorMessage(error) },
      'generation bump subscription unavailable; user generations are read from Redis each time',
    );
  }
}
