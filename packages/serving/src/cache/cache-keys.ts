import { createHash } from 'node:crypto';
import type { RecommendRequest } from '../contract';

/** Ids kept verbatim in keys: short and free of the key separator. */
const VERBATIM_ID = /^[A-Za-z0-9_.@-]{1,64}$/;

/**
 * The user part of a cache key: the id itself when short and plain, otherwise `h~` + its SHA-256 (which
 * no verbatim id can equal: `~` is not allowed in one). So one user's keys can never be another's.
 */
export function userKeyPart(userId: string): string {
  return VERBATIM_ID.test(userId) ? userId : `h~${createHash('sha256').update(userId).digest('hex')}`;
}

/** The coarse moment of a request: hour bucket and weekday/weekend, from its context or the clock. */
export interface TimeBucket {
  hourBucket: number;
  dayType: 'wd' | 'we';
}

export function timeBucket(request: RecommendRequest, hourBucketHours: number, now: Date): TimeBucket {
  const ctx = request.context;
  const time = ctx?.time ?? now;
  const hour = ctx?.hour ?? time.getUTCHours();
  const weekday = ctx?.weekday ?? time.getUTCDay();
  return {
    hourBucket: Math.floor(hour / hourBucketHours),
    dayType: weekday === 0 || weekday === 6 ? 'we' : 'wd',
  };
}

/**
 * A digest of everything else in the request that changes the answer: the filter (lists sorted, so
 * order does not matter), the recently viewed services and the page's service.
 */
export function requestDigest(request: RecommendRequest): string {
  const f = request.filter ?? {};
  const sorted = (a: readonly string[] | undefined): string[] | null => (a ? [...a].sort() : null);
  const canonical = JSON.stringify([
    sorted(f.categories),
    sorted(f.excludeCategories),
    sorted(f.pricingModels),
    f.freeTierOnly ?? null,
    f.maxPriceTier ?? null,
    sorted(f.excludeServiceIds),
    request.context?.recentlyViewed ?? null,
    request.context?.serviceId ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

export interface PredictionKeyParts {
  prefix: string;
  userId: string;
  generation: number;
  modelVersion: string;
  request: RecommendRequest;
  hourBucketHours: number;
  now: Date;
}

export function predictionKey(p: PredictionKeyParts): string {
  const ctx = p.request.context;
  const t = timeBucket(p.request, p.hourBucketHours, p.now);
  return [
    `${p.prefix}pred`,
    userKeyPart(p.userId),
    p.generation,
    encodeURIComponent(p.modelVersion),
    ctx?.placement ?? 'home',
    ctx?.device ?? 'any',
    `h${t.hourBucket}`,
    t.dayType,
    p.request.limit,
    requestDigest(p.request),
  ].join(':');
}

export function generationKey(prefix: string, userId: string): string {
  return `${prefix}gen:${userKeyPart(userId)}`;
}

export function historyKey(prefix: string, userId: string, generation: number): string {
  return `${prefix}hist:${userKeyPart(userId)}:${generation}`;
}
