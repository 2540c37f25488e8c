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

/** The digest of a request that has no filter, no recently viewed services and no page service. */
const PLAIN_REQUEST = '-';

/**
 * A digest of everything else in the request that changes the answer: the filter (lists sorted, so
 * order does not matter), the recently viewed services and the page's service; `-` when there is none
 * of these (most requests), which skips the hashing.
 */
export function requestDigest(request: RecommendRequest): string {
  const f = request.filter;
  const ctx = request.context;
  if (f === undefined && ctx?.recentlyViewed === undefined && ctx?.serviceId === undefined)
    return PLAIN_REQUEST;
  const sorted = (a: readonly string[] | undefined): string[] | null => (a ? [...a].sort() : null);
  const canonical = JSON.stringify([
    sorted(f?.categories),
    sorted(f?.excludeCategories),
    sorted(f?.pricingModels),
    f?.freeTierOnly ?? null,
    f?.maxPriceTier ?? null,
    sorted(f?.excludeServiceIds),
    ctx?.recentlyViewed ?? null,
    ctx?.serviceId ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

export interface PredictionKeyParts {
  prefix: string;
  userId: string;
  generation: number;
  modelVersion: string;
  request: RecommendRequest;
}

/**
 * The prediction cache key: what the ranking reads and nothing else, so that equal answers share one
 * entry. Placement (it picks the model and the page), limit, filter and session anchors (the digest)
 * change the list; device, time, country and session id do not (nothing in candidates or ranking reads
 * them), so they are not part of the key: keying on them split the cache without changing an answer.
 */
export function predictionKey(p: PredictionKeyParts): string {
  return [
    `${p.prefix}pred`,
    userKeyPart(p.userId),
    p.generation,
    encodeURIComponent(p.modelVersion),
    p.request.context?.placement ?? 'home',
    p.request.limit,
    requestDigest(p.request),
  ].join(':');
}

/** The generation counter of the user whose key part (`userKeyPart`) is `userKey`. */
export function generationKey(prefix: string, userKey: string): string {
  return `${prefix}gen:${userKey}`;
}

export function historyKey(prefix: string, userId: string, generation: number): string {
  return `${prefix}hist:${userKeyPart(userId)}:${generation}`;
}

/** The pub/sub channel on which generation bumps are announced to every engine (user-generation.ts). */
export function generationChannel(prefix: string): string {
  return `${prefix}gen-bumps`;
}
