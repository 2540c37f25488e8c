import type { ExposureInput } from '../contract';
import { ExperimentError, ExperimentErrorCode } from '../errors';
import { silentLogger, type ExperimentLogger } from '../logger';
import type { ExposureSink } from './exposure-sink';

export interface ExposureLoggerOptions {
  /** Rows per INSERT. @defaultValue 500 */
  batchSize?: number;
  /** How long an exposure may wait in memory before it is written. @defaultValue 1000 */
  flushIntervalMs?: number;
  /**
   * The most exposures kept in memory while the database refuses writes; past it the oldest are dropped
   * (counted in `stats().dropped` and logged at error), so an outage cannot exhaust memory.
   * @defaultValue 100000
   */
  maxPending?: number;
  /** Attempts per batch during close() before what is left is reported lost. @defaultValue 3 */
  closeAttempts?: number;
  logger?: ExperimentLogger;
}

export interface ExposureLoggerStats {
  /** Accepted by log(). */
  logged: number;
  /** Rows the database took (a replayed request id counts once, as skipped below). */
  written: number;
  /** Already stored (same variant and request id): the write is idempotent. */
  duplicates: number;
  /** Dropped: over maxPending during an outage, or still unwritten when close() gave up. */
  dropped: number;
  /** In memory now. */
  pending: number;
}

/**
 * Exposure logging off the request path: `log()` only appends to memory; batches are written every
 * `flushIntervalMs` (or as soon as `batchSize` are waiting) through the sink, which skips exposures already
 * stored (same variant and request id), so a retried batch or a replayed request lands once. A failed write
 * keeps its batch for the next attempt. `close()` stops the timer and writes everything still in
 * memory (the graceful-shutdown path: nothing accepted is lost unless the database is down throughout).
 */
export class ExposureLogger {
  private queue: ExposureInput[] = [];
  /** The batch being written: out of the queue, back at its front if the write fails. */
  private inFlight: ExposureInput[] = [];
  /** Flushes run one after another on this chain. */
  private tail: Promise<void> = Promise.resolve();
  /** The flush log() or the timer started, if one is running: at most one at a time. */
  private background: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly counts = { logged: 0, written: 0, duplicates: 0, dropped: 0 };
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxPending: number;
  private readonly closeAttempts: number;
  private readonly logger: ExperimentLogger;

  constructor(
    private readonly sink: ExposureSink,
    options: ExposureLoggerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.maxPending = options.maxPending ?? 100_000;
    this.closeAttempts = options.closeAttempts ?? 3;
    this.logger = options.logger ?? silentLogger;
    if (!(this.batchSize >= 1 && this.flushIntervalMs >= 0 && this.maxPending >= this.batchSize)) {
      throw new RangeError(
        'ExposureLogger: need batchSize >= 1, flushIntervalMs >= 0, maxPending >= batchSize',
      );
    }
  }

  /** Queues one exposure; never waits for the database. Throws LOGGER_CLOSED after close(). */
  log(exposure: ExposureInput): void {
    if (this.closed) {
      throw new ExperimentError(ExperimentErrorCode.LOGGER_CLOSED, 'the exposure logger is closed');
    }
    this.counts.logged += 1;
    this.queue.push(exposure);
    if (this.queue.length + this.inFlight.length > this.maxPending) {
      const excess = Math.min(this.queue.length, this.queue.length + this.inFlight.length - this.maxPending);
      this.queue.splice(0, excess);
      this.counts.dropped += excess;
      this.logger.error(
        { dropped: excess, pending: this.queue.length + this.inFlight.length },
        'exposure log over its limit while the database refuses writes; oldest exposures dropped',
      );
    }
    if (this.queue.length >= this.batchSize) this.flushInBackground();
    else this.schedule();
  }

  /**
   * Writes everything queued when it runs (after any flush already running); rejects when a batch cannot
   * be written, which then stays queued for the next attempt.
   */
  flush(): Promise<void> {
    const run = this.tail.catch(() => undefined).then(() => this.drain());
    this.tail = run;
    return run;
  }

  /**
   * Stops accepting exposures and writes what is queued, retrying a failed batch `closeAttempts` times;
   * what still cannot be written is counted as dropped and logged. Idempotent.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.flush();
        return;
      } catch (error) {
        if (attempt >= this.closeAttempts) {
          const lost = this.queue.length;
          this.counts.dropped += lost;
          this.queue = [];
          this.logger.error(
            { lost, err: error instanceof Error ? error.message : String(error) },
            'exposure log closed with exposures the database would not take',
          );
          return;
        }
      }
    }
  }

  stats(): ExposureLoggerStats {
    return { ...this.counts, pending: this.queue.length + this.inFlight.length };
  }

  private schedule(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushInBackground();
    }, this.flushIntervalMs);
    // A pending flush must not keep the process alive: close() writes what is left.
    this.timer.unref();
  }

  /** A flush nobody waits for: a failure is logged and retried after the interval. */
  private flushInBackground(): void {
    if (this.background !== null) return; // its drain also takes what was queued since it began
    this.background = this.flush()
      .catch((error: unknown) => {
        this.logger.warn(
          { pending: this.stats().pending, err: error instanceof Error ? error.message : String(error) },
          'writing exposures failed; retrying',
        );
        this.schedule();
      })
      .finally(() => {
        this.background = null;
      });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      this.inFlight = this.queue.splice(0, this.batchSize);
      try {
        await this.write(this.inFlight);
      } catch (error) {
        this.queue.unshift(...this.inFlight);
        throw error;
      } finally {
        this.inFlight = [];
      }
    }
  }

  private async write(batch: ExposureInput[]): Promise<void> {
    const stored = await this.sink.insert(batch);
    this.counts.written += stored;
    this.counts.duplicates += batch.length - stored;
  }
}
