import type { Redis } from 'ioredis';
import { PersonalizationError, PersonalizationErrorCode } from '../errors';
import type { ExplorationCounts } from './new-service-exploration';

/**
 * Impressions and clicks of the services being explored, shared by every serving instance: two Redis hashes
 * (`<prefix>impressions`, `<prefix>clicks`) keyed by service id. HINCRBY is atomic, so concurrent lists
 * lose no count; a batch of increments and a read of many services each take one round trip (a MULTI
 * transaction, an HMGET pair in one pipeline). Failures surface as PERSONALIZATION_STORE_FAILED.
 */
export class ExplorationCounters {
  private readonly impressionsKey: string;
  private readonly clicksKey: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix = 'recsys:exploration:',
  ) {
    this.impressionsKey = `${keyPrefix}impressions`;
    this.clicksKey = `${keyPrefix}clicks`;
  }

  /** Counts one impression of each service shown (call with the explored services of a served list). */
  async recordImpressions(serviceIds: readonly string[]): Promise<void> {
    await this.increment(this.impressionsKey, serviceIds, 'recording impressions');
  }

  /** Counts a click (or any positive feedback) on each service. */
  async recordClicks(serviceIds: readonly string[]): Promise<void> {
    await this.increment(this.clicksKey, serviceIds, 'recording clicks');
  }

  /** The counts of the services (zeros for services never counted). */
  async counts(serviceIds: readonly string[]): Promise<Map<string, ExplorationCounts>> {
    const out = new Map<string, ExplorationCounts>();
    if (serviceIds.length === 0) return out;
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await this.redis
        .pipeline()
        .hmget(this.impressionsKey, ...serviceIds)
        .hmget(this.clicksKey, ...serviceIds)
        .exec();
    } catch (error) {
      throw failed('reading exploration counts', error);
    }
    const [imp, clk] = replies ?? [];
    if (!imp || !clk || imp[0] || clk[0]) throw failed('reading exploration counts', imp?.[0] ?? clk?.[0]);
    const impressions = imp[1] as (string | null)[];
    const clicks = clk[1] as (string | null)[];
    serviceIds.forEach((id, k) =>
      out.set(id, { impressions: Number(impressions[k] ?? 0), clicks: Number(clicks[k] ?? 0) }),
    );
    return out;
  }

  /** Drops the counts of services no longer explored. */
  async forget(serviceIds: readonly string[]): Promise<void> {
    if (serviceIds.length === 0) return;
    try {
      await this.redis
        .multi()
        .hdel(this.impressionsKey, ...serviceIds)
        .hdel(this.clicksKey, ...serviceIds)
        .exec();
    } catch (error) {
      throw failed('forgetting exploration counts', error);
    }
  }

  private async increment(key: string, serviceIds: readonly string[], what: string): Promise<void> {
    if (serviceIds.length === 0) return;
    if (!serviceIds.every((id) => typeof id === 'string' && id !== ''))
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `${what}: service ids must be non-empty strings`,
      );
    const tx = this.redis.multi();
    for (const id of serviceIds) tx.hincrby(key, id, 1);
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await tx.exec();
    } catch (error) {
      throw failed(what, error);
    }
    const error = replies?.find(([e]) => e !== null)?.[0];
    if (replies === null || error) throw failed(what, error ?? new Error('transaction aborted'));
  }
}

function failed(what: string, error: unknown): PersonalizationError {
  const message = error instanceof Error ? error.message : String(error);
  return new PersonalizationError(PersonalizationErrorCode.STORE_FAILED, `${what} failed: ${message}`, {
    cause: error,
  });
}
