import type { RecommendRequest } from '@recsys/serving';
import type { RecommendationsArgs } from '../schema/inputs';
import { validContext } from '../validation/context';
import { validFilter } from '../validation/filter';
import { validLimit } from '../validation/numbers';

/** The engine request of Query.recommendations and User.recommendations, every argument checked. */
export function recommendRequest(userId: string, args: RecommendationsArgs): RecommendRequest {
  const request: RecommendRequest = { userId, limit: validLimit(args.limit) };
  const context = validContext(args.context);
  const filter = validFilter(args.filter);
  if (context !== undefined) request.context = context;
  if (filter !== undefined) request.filter = filter;
  return request;
}
