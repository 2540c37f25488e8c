import type { InferenceEngine, RecommendationList } from '@recsys/serving';
import { assertMayActForUser } from '../auth/authorize';
import type { RecommendationsArgs } from '../schema/inputs';
import { validId } from '../validation/ids';
import { recommendWithExperiments, type ExperimentServing } from './experiments-serving';
import { recommendRequest } from './recommend-request';
import type { EntityRef, FieldResolver } from './types';

export interface UserResolvers {
  __resolveReference(reference: EntityRef): EntityRef;
  recommendations: FieldResolver<EntityRef, RecommendationsArgs, RecommendationList>;
}

/** `User` is owned by the users subgraph: this one knows its id only and adds `recommendations`. */
export function userResolvers(
  engine: InferenceEngine,
  experiments: ExperimentServing | null = null,
): UserResolvers {
  return {
    __resolveReference(reference) {
      return { id: validId(reference.id, 'User.id') };
    },
    recommendations(user, args, { caller, log }) {
      assertMayActForUser(caller, user.id, 'Recommendations');
      return recommendWithExperiments(engine, experiments, recommendRequest(user.id, args), log);
    },
  };
}
