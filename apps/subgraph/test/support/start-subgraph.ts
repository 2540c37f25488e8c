import type { ExperimentService } from '@recsys/experiments';
import type { InferenceEngine } from '@recsys/serving';
import type { TrainingJobEnqueuer } from '@recsys/training';
import type { Redis } from 'ioredis';
import {
  createSubgraphServer,
  type Logger,
  type SubgraphServer,
  type SubgraphServerOptions,
} from '../../src';

export const SERVICE_TOKEN = 'test-service-token-0123456789abcdef';

export interface RunningSubgraph {
  server: SubgraphServer;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  /** http://127.0.0.1:PORT */
  base: string;
}

/** A subgraph on an ephemeral loopback port, trusting SERVICE_TOKEN, with generous limits by default. */
export async function startSubgraph(
  engine: InferenceEngine,
  options: Partial<SubgraphServerOptions> & {
    redis?: Redis | null;
    logger?: Logger;
    trainingJobs?: TrainingJobEnqueuer | null;
    experiments?: ExperimentService | null;
  } = {},
): Promise<RunningSubgraph> {
  const { redis, logger, trainingJobs, experiments, ...overrides } = options;
  const server = createSubgraphServer(
    {
      engine,
      redis: redis ?? null,
      trainingJobs: trainingJobs ?? null,
      experiments: experiments ?? null,
      ...(logger === undefined ? {} : { logger }),
    },
    {
      serviceToken: SERVICE_TOKEN,
      rateLimit: { points: 100_000, windowSeconds: 60 },
      defaultMetrics: false,
      shutdownGraceMs: 5_000,
      ...overrides,
    },
  );
  const { url } = await server.start();
  return { server, url, base: url.replace(/\/graphql$/, '') };
}

/** The engine with close() made a no-op, for several servers over one engine. */
export function sharedEngine(engine: InferenceEngine): InferenceEngine {
  return { ...bind(engine), close: async () => undefined };
}

/** The engine's methods bound to it, so that the object can be spread and partly replaced. */
export function bind(engine: InferenceEngine): InferenceEngine {
  return {
    recommend: (request) => engine.recommend(request),
    similarServices: (request) => engine.similarServices(request),
    trendingServices: (request) => engine.trendingServices(request),
    recordInteraction: (input) => engine.recordInteraction(input),
    health: () => engine.health(),
    close: () => engine.close(),
  };
}
