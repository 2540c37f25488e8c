import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LeaseOptions {
  /** The window's budget per key (the limiter's `points`). */
  points: number;
  /** A lease takes at most this share of the budget the key had left at its last lease. */
  fraction: number;
  /** The largest lease. */
  max: number;
  /** Keys whose lease is kept in process (oldest dropped first). */
  maxKeys: number;
}

export type LeaseDecision = { allowed: true } | { allowed: false; msBeforeNext: number };

/** Points of one key taken from the shared limiter and not yet used by this process. */
interface Lease {
  /** When the key's window ends (the limiter's msBeforeNext at the lease): the lease ends with it. */
  windowEndsAt: number;
  /** Points of the lease not used yet. */
  left: number;
  /** What the shared limiter had left for the key after the lease. */
  remaining: number;
}

/**
 * Consumes points of a shared fixed-window limiter (RateLimiterRedis) in leases instead of one Redis
 * round trip per operation, which was the largest cost this subgraph added to a cached request.
 * The first operation of a key in a window takes 1 point (exact); later ones, when the lease is used up,
 * take `min(max, ⌊fraction · remaining⌋)` points (at least 1) in one `consume(key, n)`, and spend them
 * locally until the window ends. Leases are taken atomically from the shared count, so together the
 * replicas never allow more than `points` per window; the price is that points leased by one replica and
 * not used there are unavailable to the others until the window ends: a caller spread over R replicas
 * may be refused after `points · (1 − R · fraction)` operations at worst, and near the end of the budget
 * leases shrink to 1 point, exact again. A refusal is remembered by the limiter itself until the window
 * ends (`inMemoryBlockOnConsumed`), so refused callers cost no Redis round trip either.
 */
export class PointLeases {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly options: LeaseOptions,
  ) {}

  async consume(key: string): Promise<LeaseDecision> {
    const now = Date.now();
    let lease = this.leases.get(key);
    if (lease !== undefined && now >= lease.windowEndsAt) {
      this.leases.delete(key);
      lease = undefined;
    }
    if (lease !== undefined && lease.left > 0) {
      lease.left--;
      return { allowed: true };
    }
    const size =
      lease === undefined
        ? 1
        : Math.max(1, Math.min(this.options.max, Math.floor(lease.remaining * this.options.fraction)));
    try {
      const res = await this.limiter.consume(key, size);
      this.keep(key, now, res.msBeforeNext, size - 1, res.remainingPoints);
      return { allowed: true };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // Over the budget by `over` points: the rest of a larger lease was still within it. (A key the
      // limiter blocks in memory answers with 0 consumed points: refused.)
      const over = rejection.consumedPoints - this.options.points;
      const within = over > 0 ? size - over : 0;
      if (within > 0) {
        this.keep(key, now, rejection.msBeforeNext, within - 1, 0);
        return { allowed: true };
      }
      this.leases.delete(key);
      return { allowed: false, msBeforeNext: rejection.msBeforeNext };
    }
  }

  private keep(key: string, now: number, msBeforeNext: number, left: number, remaining: number): void {
    const windowEndsAt = now + msBeforeNext;
    const current = this.leases.get(key);
    // Two leases taken concurrently for one key: keep the unused points of both.
    const carried = current !== undefined && current.windowEndsAt >= now ? current.left : 0;
    this.leases.delete(key); // re-inserted last: the Map's order is the eviction order
    this.leases.set(key, { windowEndsAt, left: left + carried, remaining });
    if (this.leases.size > this.options.maxKeys) {
      const oldest = this.leases.keys().next();
      if (!oldest.done) this.leases.delete(oldest.value);
    }
  }
}
