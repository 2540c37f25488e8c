export {
  createSubgraphServer,
  DEFAULT_SERVER_OPTIONS,
  type SubgraphServer,
  type SubgraphServerDeps,
  type SubgraphServerOptions,
} from './server';
export { loadEnv, EnvSchema, EnvError, type Env } from './env';
export { serverOptionsFromEnv } from './options-from-env';
export { IdentityHeader, USER_ROLES, type Caller, type UserRole } from './auth/caller';
export { SubgraphErrorCode } from './errors/codes';
export { createLogger, type Logger } from './ops/logger';
export { createMetrics, type SubgraphMetrics, type MetricsOptions } from './ops/metrics';
export { schemaFile, loadTypeDefs } from './schema/type-defs';
