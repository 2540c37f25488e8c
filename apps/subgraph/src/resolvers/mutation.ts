import type { InferenceEngine, RecordResult } from '@recsys/serving';
import { assertMayActForUser } from '../auth/authorize';
import type { RecordInteractionArgs, RequestRetrainingArgs } from '../schema/inputs';
import { validInteraction } from '../validation/interaction';
import { requestRetrainingResolver, type RetrainingDeps, type RetrainingRequest } from './request-retraining';
import type { FieldResolver } from './types';

export interface MutationResolvers {
  recordInteraction: FieldResolver<unknown, RecordInteractionArgs, RecordResult>;
  requestRetraining: FieldResolver<unknown, RequestRetrainingArgs, RetrainingRequest>;
}

export function mutationResolvers(engine: InferenceEngine, retraining: RetrainingDeps): MutationResolvers {
  return {
    recordInteraction(_root, { input }, { caller }) {
      const interaction = validInteraction(input);
      assertMayActForUser(caller, interaction.userId, 'Recording interactions');
      return engine.recordInteraction(interaction);
    },
    requestRetraining: requestRetrainingResolver(retraining),
  };
}
