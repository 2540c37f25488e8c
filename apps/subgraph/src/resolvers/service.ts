import type { InferenceEngine, Recommendation } from '@recsys/serving';
import type { LimitArgs } from '../schema/inputs';
import { validId } from '../validation/ids';
import { validLimit } from '../validation/numbers';
import type { EntityRef, FieldResolver } from './types';

export interface ServiceResolvers {
  __resolveReference(reference: EntityRef): EntityRef;
  similarServices: FieldResolver<EntityRef, LimitArgs, Recommendation[]>;
}

/** `Service` is owned by the catalog subgraph: this one knows its id only and adds `similarServices`. */
export function serviceResolvers(engine: InferenceEngine): ServiceResolvers {
  return {
    __resolveReference(reference) {
      return { id: validId(reference.id, 'Service.id') };
    },
    similarServices(service, args) {
      return engine.similarServices({ serviceId: service.id, limit: validLimit(args.limit) });
    },
  };
}
