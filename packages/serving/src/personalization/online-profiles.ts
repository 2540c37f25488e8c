import type { Redis } from 'ioredis';
import { serviceFacts, UserProfileStore, type UserProfile } from '@recsys/personalization';
import type { RedisStore } from '../cache/redis-store';
import type { CatalogSnapshot } from '../catalog/catalog-snapshot';
import type { InteractionInput } from '../contract';
import type { EventSink } from '../events';

/**
 * The engine's side of the online user profile (@recsys/personalization's UserProfileStore): every call goes
 * through the engine's Redis guard, so an unavailable, slow or failing Redis means "no profile" (a read) or
 * "not recorded" (an update), never a failed or waiting request.
 */
export class OnlineProfiles {
  private readonly profiles: UserProfileStore;

  constructor(
    redis: Redis,
    private readonly store: RedisStore,
    private readonly sink: EventSink,
    keyPrefix: string,
  ) {
    this.profiles = new UserProfileStore(redis, { keyPrefix: `${keyPrefix}profile:` });
  }

  /** The user's profile decayed to now (one HGETALL), or null: none yet, or Redis unavailable. */
  async read(userId: string, sessionId?: string): Promise<UserProfile | null> {
    const profile =
      (await this.store.run('profile-read', () => this.profiles.get(userId, { sessionId }))) ?? null;
    this.sink.emit({ type: 'profile', operation: 'read', found: profile !== null });
    return profile;
  }

  /**
   * Folds a stored interaction into its user's profile (one atomic Lua call), with the categories and price
   * tier the catalog gives its service (none for a service newer than the snapshot). False when Redis did
   * not take it or the event changes nothing (an impression).
   */
  async record(input: InteractionInput, catalog: CatalogSnapshot, now: Date): Promise<boolean> {
    const facts = serviceFacts(catalog, input.serviceId);
    const recorded =
      (await this.store.run('profile-record', () =>
        this.profiles.record({
          userId: input.userId,
          serviceId: input.serviceId,
          type: input.type,
          occurredAt: input.occurredAt ?? now,
          dwellMs: input.dwellMs,
          sessionId: input.sessionId,
          categories: facts?.categories ?? [],
          priceTier: facts?.priceTier ?? null,
        }),
      )) === true;
    this.sink.emit({ type: 'profile', operation: 'record', found: recorded });
    return recorded;
  }
}
