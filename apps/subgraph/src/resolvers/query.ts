import type { InferenceEngine, Recommendation, RecommendationList } from '@recsys/serving';
import { assertMayActForUser } from '../auth/authorize';
import type { QueryRecommendationsArgs, TrendingServicesArgs } from '../schema/inputs';
import { optionalId, validId } from '../validation/ids';
import { validLimit } from '../validation/numbers';
import { recommendWithExperiments, type ExperimentServing } from './experiments-serving';
import { recommendRequest } from './recommend-request';
import type { FieldResolver } from './types';

export interface QueryResolvers {
  recommendations: FieldResolver<unknown, QueryRecommendationsArgs, RecommendationList>;
  trendingServices: FieldResolver<unknown, TrendingServicesArgs, Recommendation[]>;
}

/** `experiments`: the A/B experiments whose variants serve the lists, when this subgraph has them. */
export function queryResolvers(
  engine: InferenceEngine,
  experiments: ExperimentServing | null = null,
): QueryResolvers {
  return {
    recommendations(_root, args, { caller, log }) {
      const userId = validId(args.userId, 'userId');
      assertMayActForUser(caller, userId, 'Recommendations');
      return recommendWithExperiments(engine, experiments, recommendRequest(userId, args), log);
    },
    trendingServices(_root, args) {
      const category = optionalId(args.category, 'category');
      const limit = validLimit(args.limit);
      return engine.trendingServices(category === undefined ? { limit } : { category, limit });
    },
  };
}
