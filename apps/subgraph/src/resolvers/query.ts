import type { InferenceEngine, Recommendation, RecommendationList } from '@recsys/serving';
import { assertMayActForUser } from '../auth/authorize';
import type { QueryRecommendationsArgs, TrendingServicesArgs } from '../schema/inputs';
import { optionalId, validId } from '../validation/ids';
import { validLimit } from '../validation/numbers';
import { recommendRequest } from './recommend-request';
import type { FieldResolver } from './types';

export interface QueryResolvers {
  recommendations: FieldResolver<unknown, QueryRecommendationsArgs, RecommendationList>;
  trendingServices: FieldResolver<unknown, TrendingServicesArgs, Recommendation[]>;
}

export function queryResolvers(engine: InferenceEngine): QueryResolvers {
  return {
    recommendations(_root, args, { caller }) {
      const userId = validId(args.userId, 'userId');
      assertMayActForUser(caller, userId, 'Recommendations');
      return engine.recommend(recommendRequest(userId, args));
    },
    trendingServices(_root, args) {
      const category = optionalId(args.category, 'category');
      const limit = validLimit(args.limit);
      return engine.trendingServices(category === undefined ? { limit } : { category, limit });
    },
  };
}
