import { ServingError, ServingErrorCode, type InferenceEngine } from '@recsys/serving';

/**
 * An engine with no model and no data, for tests of fields that never reach the engine
 * (Mutation.requestRetraining): every read answers UNAVAILABLE, as a real engine with nothing loaded would.
 */
export function idleEngine(): InferenceEngine {
  const unavailable = (): Promise<never> =>
    Promise.reject(new ServingError(ServingErrorCode.UNAVAILABLE, 'the idle test engine serves nothing'));
  return {
    recommend: unavailable,
    similarServices: unavailable,
    trendingServices: unavailable,
    recordInteraction: unavailable,
    health: async () => ({ database: false, redis: false, models: {} }),
    close: async () => undefined,
  };
}
