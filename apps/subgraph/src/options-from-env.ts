import type { Env } from './env';
import type { SubgraphServerOptions } from './server';

/** The server options an environment asks for (what the environment does not set keeps its default). */
export function serverOptionsFromEnv(env: Env): Partial<SubgraphServerOptions> {
  return {
    port: env.PORT,
    host: env.HOST,
    serviceToken: env.SERVICE_TOKEN,
    rateLimit: { points: env.RATE_LIMIT_POINTS, windowSeconds: env.RATE_LIMIT_WINDOW_S },
    maxDepth: env.MAX_QUERY_DEPTH,
    maxComplexity: env.MAX_QUERY_COMPLEXITY,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
    development: env.NODE_ENV === 'development',
    datasetId: env.RECSYS_DATASET,
  };
}
