import { timeDecay } from '@recsys/features';

/** A category of the profile with its decayed weight at `asOf`. */
export interface CategoryWeight {
  category: string;
  weight: number;
}

/**
 * What the latest interactions say about a user, as of `asOf`: updated online from every recorded interaction
 * (UserProfileStore), read by the next request.
 */
export interface UserProfile {
  userId: string;
  asOf: Date;
  /** Recent categories with exponentially decayed weights, heaviest first. */
  categories: CategoryWeight[];
  /** Σ of the category weights: how much recent evidence there is. */
  totalWeight: number;
  /** Decay-weighted mean price tier of the services the user chose (clicks, calls, subscriptions...), or null. */
  meanPriceTier: number | null;
  /** Decayed weight of those choices: the confidence of meanPriceTier. */
  priceWeight: number;
  /** Services the user recently interacted with, most recent first. */
  recentServices: string[];
  /** The current session's services, most recent first; empty when the session is over. */
  sessionServices: string[];
  sessionId: string | null;
  /** Interactions recorded (over the profile's lifetime in Redis). */
  events: number;
  lastEventAt: Date | null;
}

/** How a stored profile hash is read back. */
export interface ProfileReadOptions {
  /** Half-life of the decay, in seconds (the one the writes used). */
  halfLifeSeconds: number;
  /** A session without events for this long is over. */
  sessionGapSeconds: number;
  now: Date;
  /** The request's session id: a stored session with another id is over. */
  sessionId?: string;
}

/** The profile of a Redis hash written by the update script (PROFILE_UPDATE_LUA); null for an empty hash. */
export function profileFromHash(
  userId: string,
  hash: Record<string, string>,
  options: ProfileReadOptions,
): UserProfile | null {
  const ts = Number(hash.ts);
  if (hash.ts === undefined || !Number.isFinite(ts)) return null;
  const nowSeconds = options.now.getTime() / 1000;
  // The stored sums are as of ts; bring them to now with the same decay.
  const f = timeDecay(nowSeconds - ts, options.halfLifeSeconds);
  const categories: CategoryWeight[] = [];
  let totalWeight = 0;
  for (const [field, value] of Object.entries(hash)) {
    if (!field.startsWith('c:')) continue;
    const weight = Number(value) * f;
    if (!(weight > 0)) continue;
    categories.push({ category: field.slice(2), weight });
    totalWeight += weight;
  }
  categories.sort((a, b) => b.weight - a.weight || a.category.localeCompare(b.category));
  const pw = Number(hash.pw ?? 0);
  const pt = Number(hash.pt ?? 0);
  const st = Number(hash.st);
  const storedSid = hash.sid !== undefined && hash.sid !== '' ? hash.sid : null;
  const sessionOver =
    !Number.isFinite(st) ||
    nowSeconds - st > options.sessionGapSeconds ||
    (options.sessionId !== undefined && options.sessionId !== storedSid);
  const last = Number(hash.last);
  return {
    userId,
    asOf: options.now,
    categories,
    totalWeight,
    meanPriceTier: pw > 0 ? pt / pw : null,
    priceWeight: pw * f,
    recentServices: jsonIds(hash.recent),
    sessionServices: sessionOver ? [] : jsonIds(hash.sess),
    sessionId: sessionOver ? null : storedSid,
    events: Number(hash.n ?? 0),
    lastEventAt: Number.isFinite(last) ? new Date(last * 1000) : null,
  };
}

/** A JSON array of ids as written by the script; anything else reads as empty. */
function jsonIds(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
