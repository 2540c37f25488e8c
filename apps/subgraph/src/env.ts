import { DEFAULT_QUEUE_PREFIX } from '@recsys/training';
import { z } from 'zod';

/** Every setting the subgraph reads from its environment, validated once at start-up. */
export const EnvSchema = z.object({
  /** development: Apollo Sandbox, introspection and stack traces in errors; off otherwise (the safe default). */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  /** The HTTP port; 0 picks a free one. */
  PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().min(1).default('postgresql://postgres@127.0.0.1:5432/recsys'),
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  /** The Redis key namespace of the job queues (Mutation.requestRetraining); the worker's must match. */
  QUEUE_PREFIX: z.string().min(1).default(DEFAULT_QUEUE_PREFIX),
  /** The dataset (namespace) whose users, services and models are served. */
  RECSYS_DATASET: z.string().min(1).default('marketplace'),
  /**
   * The registry's artifact store: a path, a file:// URL or s3://bucket/prefix (read by
   * @recsys/registry's createArtifactStore; ~/.recsys/artifacts when unset).
   */
  RECSYS_ARTIFACTS: z.string().min(1).optional(),
  /** Where artifacts fetched from S3 are unpacked; ~/.recsys/artifact-cache when unset. */
  RECSYS_ARTIFACT_CACHE: z.string().min(1).optional(),
  /**
   * The shared secret trusted internal services send in `x-service-token`; unset, no caller is trusted.
   * At least 16 characters.
   */
  SERVICE_TOKEN: z.string().min(16).optional(),
  /** Operations one caller may run per window. */
  RATE_LIMIT_POINTS: z.coerce.number().int().positive().default(300),
  /** The rate-limit window, in seconds. */
  RATE_LIMIT_WINDOW_S: z.coerce.number().int().positive().default(60),
  /** The deepest selection set accepted (graphql-depth-limit). */
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(8),
  /** The highest estimated cost accepted (graphql-query-complexity; a list costs its limit × its items). */
  MAX_QUERY_COMPLEXITY: z.coerce.number().int().positive().default(5000),
  /** How long shutdown waits for in-flight requests before closing their connections. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().nonnegative().default(10_000),
  /** How long shutdown keeps serving with /ready at 503 before it stops accepting connections. */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().nonnegative().default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid environment: ${issues.join('; ')}`);
    this.name = 'EnvError';
  }
}

/** Parses the environment; throws an EnvError naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable means "unset", as in shells that export FOO= to clear a value.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return parsed.data;
}
