import type { InferenceEngine, RecordResult } from '@recsys/serving';
import { assertMayActForUser } from '../auth/authorize';
import type { RecordInteractionArgs } from '../schema/inputs';
import { validInteraction } from '../validation/interaction';
import type { FieldResolver } from './types';

export interface MutationResolvers {
  recordInteraction: FieldResolver<unknown, RecordInteractionArgs, RecordResult>;
}

export function mutationResolvers(engine: InferenceEngine): MutationResolvers {
  return {
    recordInteraction(_root, { input }, { caller }) {
      const interaction = validInteraction(input);
      assertMayActForUser(caller, interaction.userId, 'Recording interactions');
      return engine.recordInteraction(interaction);
    },
  };
}
