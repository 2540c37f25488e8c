import type { Redis } from 'ioredis';
import { INTERACTION_TYPES, type InteractionTypeName } from '@recsys/db';
import { DEFAULT_RECORD_OPTIONS, halfLifeSeconds, InteractionWeighting } from '@recsys/features';
import { categoryNamesOf, type CatalogView } from '../catalog-view';
import { PersonalizationError, PersonalizationErrorCode, requireOption } from '../errors';
import { runProfileUpdate } from './profile-update-script';
import { profileFromHash, type UserProfile } from './user-profile';

export interface UserProfileStoreOptions {
  /** Prefix of the profile keys (`<prefix><userId>`). @defaultValue 'recsys:profile:' */
  keyPrefix?: string;
  /**
   * Type and dwell weights of an event: the training weighting, so the profile counts events as training does.
   * @defaultValue InteractionWeighting.fit([]) (DEFAULT_TYPE_WEIGHTS)
   */
  weighting?: InteractionWeighting;
  /** Half-life of the category and price decay. @defaultValue the weighting's half-life, else 7 days */
  halfLifeDays?: number;
  /** A profile without writes for this long expires. @defaultValue 2592000 (30 days) */
  ttlSeconds?: number;
  /** Services kept in the recent list. @defaultValue 20 */
  recentLimit?: number;
  /** Services kept in the session list. @defaultValue 20 */
  sessionLimit?: number;
  /** Without session ids, a gap longer than this starts a new session. @defaultValue 1800 (RecordOptions) */
  sessionGapSeconds?: number;
  /** Event types whose service's price tier says what the user pays for. @defaultValue RecordOptions.choiceTypes */
  choiceTypes?: readonly InteractionTypeName[];
  /** Event types that enter the recent and session lists. @defaultValue RecordOptions.activityTypes (all but IMPRESSION) */
  activityTypes?: readonly InteractionTypeName[];
}

/** One interaction as the profile needs it: the event, and what the catalog says of its service. */
export interface ProfileEvent {
  userId: string;
  serviceId: string;
  type: InteractionTypeName;
  occurredAt: Date;
  dwellMs?: number;
  sessionId?: string;
  /** The service's category names (`serviceFacts` reads them off the catalog). */
  categories: readonly string[];
  /** The service's price tier 0-4, null when unknown. */
  priceTier: number | null;
}

/** The categories and price tier of a catalog service, or null when the catalog does not have it. */
export function serviceFacts(
  catalog: CatalogView,
  serviceId: string,
): { categories: string[]; priceTier: number } | null {
  const i = catalog.ids.indexOf(serviceId);
  if (i === undefined) return null;
  return { categories: categoryNamesOf(catalog.side, i), priceTier: catalog.side.priceTiers[i] };
}

/**
 * Online user profiles in Redis: one hash per user (`<prefix><userId>`, expiring `ttlSeconds` after its
 * last write). `record` folds one interaction in atomically, in one round trip (a Lua script,
 * PROFILE_UPDATE_LUA); `get` reads it back in one round trip (HGETALL) and decays it to the present.
 * Failures of Redis surface as PERSONALIZATION_STORE_FAILED; the engine calls both through its Redis guard
 * (readiness, timeout), so a request goes on without a profile rather than failing or waiting.
 */
export class UserProfileStore {
  readonly keyPrefix: string;
  readonly halfLifeSeconds: number;
  readonly sessionGapSeconds: number;
  private readonly weighting: InteractionWeighting;
  private readonly ttlSeconds: number;
  private readonly recentLimit: number;
  private readonly sessionLimit: number;
  private readonly choice: ReadonlySet<string>;
  private readonly activity: ReadonlySet<string>;

  constructor(
    private readonly redis: Redis,
    options: UserProfileStoreOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? 'recsys:profile:';
    this.weighting = options.weighting ?? InteractionWeighting.fit([]);
    const days = options.halfLifeDays ?? this.weighting.halfLifeDays ?? 7;
    try {
      this.halfLifeSeconds = halfLifeSeconds(days);
    } catch {
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_OPTION,
        `halfLifeDays must be > 0, got ${days}`,
      );
    }
    this.ttlSeconds = options.ttlSeconds ?? 30 * 86_400;
    this.recentLimit = options.recentLimit ?? 20;
    this.sessionLimit = options.sessionLimit ?? 20;
    this.sessionGapSeconds = options.sessionGapSeconds ?? DEFAULT_RECORD_OPTIONS.sessionGapSeconds;
    const positiveInt = (v: number): boolean => Number.isSafeInteger(v) && v >= 1;
    requireOption(positiveInt(this.ttlSeconds), 'ttlSeconds', 'an integer ≥ 1', this.ttlSeconds);
    requireOption(positiveInt(this.recentLimit), 'recentLimit', 'an integer ≥ 1', this.recentLimit);
    requireOption(positiveInt(this.sessionLimit), 'sessionLimit', 'an integer ≥ 1', this.sessionLimit);
    requireOption(this.sessionGapSeconds > 0, 'sessionGapSeconds', '> 0', this.sessionGapSeconds);
    this.choice = typeSet('choiceTypes', options.choiceTypes ?? DEFAULT_RECORD_OPTIONS.choiceTypes);
    this.activity = typeSet('activityTypes', options.activityTypes ?? DEFAULT_RECORD_OPTIONS.activityTypes);
  }

  /**
   * Folds one interaction into the user's profile. Returns false, without a round trip, for an event that
   * changes nothing (an impression: no weight, not an activity).
   */
  async record(event: ProfileEvent): Promise<boolean> {
    checkEvent(event);
    const code = INTERACTION_TYPES.indexOf(event.type);
    const w = this.weighting.weight(code, event.dwellMs ?? Number.NaN);
    const isActivity = this.activity.has(event.type);
    if (w <= 0 && !isActivity) return false;
    const tierKnown = event.priceTier !== null && Number.isFinite(event.priceTier);
    const priceWeight = this.choice.has(event.type) && tierKnown ? w : 0;
    const args = [
      String(event.occurredAt.getTime() / 1000),
      String(this.halfLifeSeconds),
      String(this.ttlSeconds),
      String(w),
      String(priceWeight),
      String(tierKnown ? event.priceTier : 0),
      event.serviceId,
      event.sessionId ?? '',
      isActivity ? '1' : '0',
      String(this.recentLimit),
      String(this.sessionLimit),
      String(this.sessionGapSeconds),
      ...new Set(event.categories),
    ];
    try {
      await runProfileUpdate(this.redis, this.key(event.userId), args);
    } catch (error) {
      throw storeFailed('recording an interaction into the profile', error);
    }
    return true;
  }

  /** The user's profile decayed to `now`, or null when there is none (never recorded, or expired). */
  async get(userId: string, options: { now?: Date; sessionId?: string } = {}): Promise<UserProfile | null> {
    let hash: Record<string, string>;
    try {
      hash = await this.redis.hgetall(this.key(userId));
    } catch (error) {
      throw storeFailed('reading the profile', error);
    }
    return profileFromHash(userId, hash, {
      halfLifeSeconds: this.halfLifeSeconds,
      sessionGapSeconds: this.sessionGapSeconds,
      now: options.now ?? new Date(),
      sessionId: options.sessionId,
    });
  }

  /** Forgets the user's profile (account deletion, tests). */
  async delete(userId: string): Promise<void> {
    try {
      await this.redis.del(this.key(userId));
    } catch (error) {
      throw storeFailed('deleting the profile', error);
    }
  }

  private key(userId: string): string {
    if (typeof userId !== 'string' || userId.length === 0)
      throw new PersonalizationError(PersonalizationErrorCode.BAD_INPUT, 'userId must be a non-empty string');
    return this.keyPrefix + userId;
  }
}

function typeSet(name: string, types: readonly string[]): ReadonlySet<string> {
  const bad = types.find((t) => !(INTERACTION_TYPES as readonly string[]).includes(t));
  requireOption(bad === undefined, name, `interaction type names (${INTERACTION_TYPES.join(', ')})`, bad);
  return new Set(types);
}

function checkEvent(e: ProfileEvent): void {
  const fail = (what: string): never => {
    throw new PersonalizationError(PersonalizationErrorCode.BAD_INPUT, `profile event: ${what}`);
  };
  if (typeof e.userId !== 'string' || e.userId === '') fail('userId must be a non-empty string');
  if (typeof e.serviceId !== 'string' || e.serviceId === '') fail('serviceId must be a non-empty string');
  if (!(INTERACTION_TYPES as readonly string[]).includes(e.type))
    fail(`unknown interaction type "${e.type}"`);
  if (!(e.occurredAt instanceof Date) || !Number.isFinite(e.occurredAt.getTime()))
    fail('occurredAt must be a valid Date');
  if (!Array.isArray(e.categories) || !e.categories.every((c) => typeof c === 'string' && c !== ''))
    fail('categories must be non-empty strings');
  if (e.priceTier !== null && !(Number.isFinite(e.priceTier) && e.priceTier >= 0))
    fail(`priceTier must be a number ≥ 0 or null, got ${e.priceTier}`);
  if (e.dwellMs !== undefined && !(e.dwellMs >= 0)) fail(`dwellMs must be ≥ 0, got ${e.dwellMs}`);
}

function storeFailed(what: string, error: unknown): PersonalizationError {
  const message = error instanceof Error ? error.message : String(error);
  return new PersonalizationError(PersonalizationErrorCode.STORE_FAILED, `${what} failed: ${message}`, {
    cause: error,
  });
}
