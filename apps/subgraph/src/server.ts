import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import type { InferenceEngine } from '@recsys/serving';
import type { TrainingJobEnqueuer } from '@recsys/training';
import express, { type Express } from 'express';
import depthLimit from 'graphql-depth-limit';
import type { Redis } from 'ioredis';
import { callerFromHeaders } from './auth/caller';
import type { SubgraphContext } from './context';
import { adaptEngine } from './engine/engine-adapter';
import { graphqlHandler, isGraphQLPath, type RequestHandler } from './http/graphql-handler';
import { healthHandler, metricsHandler, readyHandler } from './ops/health';
import { createLogger, type Logger } from './ops/logger';
import { createMetrics, type SubgraphMetrics } from './ops/metrics';
import { requestIdMiddleware, requestScope, startRequestScope } from './ops/request-id';
import { complexityPlugin } from './plugins/complexity';
import { loggingPlugin } from './plugins/logging';
import { metricsPlugin } from './plugins/metrics';
import { rateLimitPlugin } from './plugins/rate-limit';
import { createCallerRateLimiter, type RateLimitOptions } from './rate-limit/caller-rate-limiter';
import type { ExperimentsDeps } from './resolvers/experiments';
import { buildSchema } from './schema/build-schema';

export interface SubgraphServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port: number;
  host: string;
  /** The secret of trusted internal services (x-service-token); none trusted when undefined. */
  serviceToken: string | undefined;
  rateLimit: RateLimitOptions;
  maxDepth: number;
  maxComplexity: number;
  /** How long stop() lets in-flight requests finish before closing their connections. */
  shutdownGraceMs: number;
  /**
   * How long stop() answers /ready with 503 while still serving, before it closes the listener: time for
   * load balancers to take the instance out of rotation. 0 closes at once.
   */
  shutdownDelayMs: number;
  /** Development: Apollo Sandbox landing page, introspection and stack traces in errors. */
  development: boolean;
  /** The dataset this subgraph serves (RECSYS_DATASET): Mutation.requestRetraining's default datasetId. */
  datasetId: string;
  /** Largest accepted request body. */
  bodyLimit: string;
  /** Process metrics (CPU, memory) in /metrics, when the server makes its own registry. */
  defaultMetrics: boolean;
}

/** Every option's default, in one place. */
export const DEFAULT_SERVER_OPTIONS: SubgraphServerOptions = {
  port: 0,
  host: '127.0.0.1',
  serviceToken: undefined,
  rateLimit: { points: 300, windowSeconds: 60 },
  maxDepth: 8,
  maxComplexity: 5000,
  shutdownGraceMs: 10_000,
  shutdownDelayMs: 0,
  development: false,
  datasetId: 'marketplace',
  bodyLimit: '100kb',
  defaultMetrics: true,
};

export interface SubgraphServerDeps {
  /** The inference engine; the server closes it on stop(). */
  engine: InferenceEngine;
  /** Backs the per-caller rate limiter; in-memory limits when null or absent. The caller closes it. */
  redis?: Redis | null;
  logger?: Logger;
  /**
   * The metrics registry; pass the one whose `onEngineEvent` the engine was created with, so that engine
   * events land in the same /metrics. A fresh one by default.
   */
  metrics?: SubgraphMetrics;
  /**
   * Queues Mutation.requestRetraining's jobs (a TrainingJobProducer of @recsys/training); the caller
   * closes it. Without one the mutation answers SERVICE_UNAVAILABLE.
   */
  trainingJobs?: TrainingJobEnqueuer | null;
  /**
   * A/B experiments (an ExperimentService of @recsys/experiments): variants of the lists, exposure logging
   * and the ADMIN experiment fields. The caller closes it after stop(), which writes the exposures still
   * in memory. Without one no list is in an experiment and those fields answer SERVICE_UNAVAILABLE.
   */
  experiments?: ExperimentsDeps;
}

export interface SubgraphServer {
  app: Express;
  httpServer: http.Server;
  metrics: SubgraphMetrics;
  /** Starts Apollo and listens; resolves with the bound address. */
  start(): Promise<{ url: string; port: number }>;
  /**
   * Graceful stop: /ready turns 503 (for shutdownDelayMs), the listener closes, in-flight requests finish
   * (connections still open after shutdownGraceMs are closed), then the engine is closed. Idempotent.
   */
  stop(): Promise<void>;
}

/** The phases of the server's life; each transition happens once. */
type Phase = 'created' | 'starting' | 'started' | 'stopping' | 'stopped';

/** Paths whose finished requests are logged at debug (probes and scrapes). */
const QUIET_PATHS = ['/health', '/ready', '/metrics'];

function compactJson(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * The recommendations subgraph on its own HTTP server: /graphql goes straight to Apollo
 * (http/graphql-handler.ts), /health, /ready and /metrics to an Express app. It does not listen until
 * start(); src/main.ts wires real dependencies and signals.
 */
export function createSubgraphServer(
  deps: SubgraphServerDeps,
  overrides: Partial<SubgraphServerOptions> = {},
): SubgraphServer {
  const options: SubgraphServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...overrides };
  const logger = deps.logger ?? createLogger({ level: 'silent' });
  const metrics = deps.metrics ?? createMetrics({ defaultMetrics: options.defaultMetrics });
  metrics.watchEngine(deps.engine);
  const engine = adaptEngine(deps.engine, metrics);
  const limiter = createCallerRateLimiter(deps.redis ?? null, options.rateLimit);

  const app = express();
  app.disable('x-powered-by');
  // Set by start(): until Apollo has started, /graphql falls through to Express (404).
  let graphql: RequestHandler | null = null;
  const httpServer = http.createServer((req, res) => {
    if (graphql !== null && isGraphQLPath(req.url)) {
      startRequestScope(logger, req, res, false);
      graphql(req, res);
    } else app(req, res);
  });
  let phase: Phase = 'created';
  let stopping: Promise<void> | null = null;

  const apollo = new ApolloServer<SubgraphContext>({
    schema: buildSchema(
      engine,
      { producer: deps.trainingJobs ?? null, defaultDatasetId: options.datasetId },
      deps.experiments ?? null,
    ),
    validationRules: [depthLimit(options.maxDepth)],
    introspection: options.development,
    includeStacktraceInErrorResponses: options.development,
    // Compact JSON for the gateway (Apollo indents by default: more to stringify and to send); indented in
    // development, for people reading answers.
    stringifyResult: options.development ? undefined : compactJson,
    // main.ts owns signal handling (it also closes the pool and Redis).
    stopOnTerminationSignals: false,
    logger: {
      debug: (message: string) => logger.debug({ component: 'apollo' }, message),
      info: (message: string) => logger.info({ component: 'apollo' }, message),
      warn: (message: string) => logger.warn({ component: 'apollo' }, message),
      error: (message: string) => logger.error({ component: 'apollo' }, message),
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownGraceMs }),
      // Federated inline tracing (ftv1) costs every request; the marketplace's router does not ask for it.
      ApolloServerPluginInlineTraceDisabled(),
      // No @cacheControl hints and no CDN in front of a subgraph: skip the per-field cache-policy work.
      ApolloServerPluginCacheControlDisabled(),
      options.development
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
      metricsPlugin(metrics),
      loggingPlugin(),
      complexityPlugin(options.maxComplexity),
      rateLimitPlugin(limiter),
    ],
  });

  app.use(requestIdMiddleware(logger, QUIET_PATHS));
  app.get('/health', healthHandler);
  app.get(
    '/ready',
    readyHandler(deps.engine, () => phase === 'started'),
  );
  app.get('/metrics', metricsHandler(metrics.registry));

  return {
    app,
    httpServer,
    metrics,
    async start() {
      if (phase !== 'created') throw new Error(`start() called while ${phase}`);
      phase = 'starting';
      await apollo.start();
      graphql = graphqlHandler(apollo, {
        bodyLimit: options.bodyLimit,
        context: async (req) => {
          const scope = requestScope(req);
          return {
            caller: callerFromHeaders(req.headers, options.serviceToken),
            requestId: scope.requestId,
            // A getter: the request's child logger is only made if something logs.
            get log() {
              return scope.log;
            },
            clientIp: req.socket.remoteAddress ?? 'unknown',
          };
        },
      });
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(options.port, options.host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      phase = 'started';
      const { port } = httpServer.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      const url = `http://${host}:${port}/graphql`;
      logger.info({ url }, 'subgraph listening');
      return { url, port };
    },
    stop() {
      stopping ??= (async () => {
        const wasRunning = phase === 'started' || phase === 'starting';
        phase = 'stopping';
        if (wasRunning && options.shutdownDelayMs > 0) {
          logger.info({ delayMs: options.shutdownDelayMs }, 'subgraph stopping: not ready, still serving');
          await new Promise((resolve) => setTimeout(resolve, options.shutdownDelayMs));
        }
        logger.info('subgraph stopping: draining in-flight requests');
        // Apollo's drain plugin closes the listener, waits for in-flight requests and then closes what is left.
        if (wasRunning) await apollo.stop();
        else if (httpServer.listening)
          await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await deps.engine.close();
        phase = 'stopped';
        logger.info('subgraph stopped');
      })();
      return stopping;
    },
  };
}
