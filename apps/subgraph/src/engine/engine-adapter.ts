import type { InferenceEngine } from '@recsys/serving';
import { toGraphQLError } from '../errors/serving-errors';
import type { SubgraphMetrics } from '../ops/metrics';

async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toGraphQLError(error);
  }
}

/**
 * The engine as resolvers see it: ServingErrors become GraphQL errors with the mapped code, and every
 * served list is counted (cache hits, cold starts).
 */
export function adaptEngine(engine: InferenceEngine, metrics: SubgraphMetrics): InferenceEngine {
  return {
    async recommend(request) {
      const list = await guarded(() => engine.recommend(request));
      metrics.observeList(list);
      return list;
    },
    similarServices: (request) => guarded(() => engine.similarServices(request)),
    trendingServices: (request) => guarded(() => engine.trendingServices(request)),
    recordInteraction: (input) => guarded(() => engine.recordInteraction(input)),
    health: () => engine.health(),
    close: () => engine.close(),
  };
}
