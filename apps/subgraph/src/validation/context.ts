import type { RecommendationContext } from '@recsys/serving';
import { badUserInput } from '../errors/codes';
import type { RecommendationContextInput } from '../schema/inputs';
import { idList, optionalId } from './ids';
import { optionalIntInRange } from './numbers';

export const MAX_RECENTLY_VIEWED = 50;
const COUNTRY_CODE = /^[A-Za-z]{2}$/;

/** The engine's context from the GraphQL input; `field` is the input's path for error messages. */
export function validContext(
  input: RecommendationContextInput | null | undefined,
  field = 'context',
): RecommendationContext | undefined {
  if (input === null || input === undefined) return undefined;
  const hour = optionalIntInRange(input.hour, `${field}.hour`, 0, 23);
  const weekday = optionalIntInRange(input.weekday, `${field}.weekday`, 0, 6);
  if (input.time != null && (hour !== undefined || weekday !== undefined)) {
    throw badUserInput(`${field}.time`, 'must not be given together with hour or weekday');
  }
  let country: string | undefined;
  if (input.country != null) {
    if (!COUNTRY_CODE.test(input.country)) {
      throw badUserInput(
        `${field}.country`,
        `must be an ISO 3166-1 alpha-2 code such as DE (got "${input.country}")`,
      );
    }
    country = input.country.toUpperCase();
  }
  const context: RecommendationContext = {
    placement: input.placement ?? undefined,
    device: input.device ?? undefined,
    time: input.time ?? undefined,
    hour,
    weekday,
    sessionId: optionalId(input.sessionId, `${field}.sessionId`),
    recentlyViewed: idList(input.recentlyViewed, `${field}.recentlyViewed`, MAX_RECENTLY_VIEWED),
    country,
    serviceId: optionalId(input.serviceId, `${field}.serviceId`),
  };
  return withoutUndefined(context);
}

/** Drops undefined fields so that the engine (and its cache keys) see only what the client sent. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
