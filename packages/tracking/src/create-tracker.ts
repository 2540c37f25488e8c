import { type PrismaClient } from '@recsys/db';
import { type ArtifactStore } from '@recsys/registry';
import { EmbeddedTracker } from './embedded/embedded-tracker';
import { TrackingError, TrackingErrorCode } from './errors';
import { MlflowClient, type MlflowClientOptions } from './mlflow/mlflow-client';
import { MlflowTracker } from './mlflow/mlflow-tracker';
import type { ExperimentTracker } from './tracker';

/** Which back end the environment asks for, read by `trackerConfig`. */
export type TrackerConfig =
  | { kind: 'embedded' }
  | { kind: 'mlflow'; trackingUri: string; token?: string; username?: string; password?: string };

/**
 * Reads the tracker's settings:
 * - MLFLOW_TRACKING_URI: an http(s) MLflow tracking server; when unset or empty, the embedded tracker;
 * - MLFLOW_TRACKING_TOKEN (Bearer), or MLFLOW_TRACKING_USERNAME with MLFLOW_TRACKING_PASSWORD (Basic).
 */
export function trackerConfig(env: NodeJS.ProcessEnv = process.env): TrackerConfig {
  const uri = env.MLFLOW_TRACKING_URI?.trim() ?? '';
  if (uri.length === 0) return { kind: 'embedded' };
  if (!/^https?:\/\//i.test(uri)) {
    throw new TrackingError(
      TrackingErrorCode.INVALID_CONFIG,
      `MLFLOW_TRACKING_URI="${uri}": only http(s) tracking servers are supported (unset it for the embedded tracker)`,
    );
  }
  const token = env.MLFLOW_TRACKING_TOKEN?.trim();
  const username = env.MLFLOW_TRACKING_USERNAME?.trim();
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (Boolean(username) !== Boolean(password)) {
    throw new TrackingError(
      TrackingErrorCode.INVALID_CONFIG,
      'MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD are set together or not at all',
    );
  }
  return {
    kind: 'mlflow',
    trackingUri: uri,
    ...(token ? { token } : {}),
    ...(username && password ? { username, password } : {}),
  };
}

export interface TrackerDeps {
  /** The embedded tracker's database. */
  prisma: PrismaClient;
  /** The embedded tracker's artifact store. */
  store: ArtifactStore;
  /** MLflow client settings beyond the environment's (retries, timeouts, a fetch for tests). */
  mlflow?: Omit<MlflowClientOptions, 'trackingUri' | 'token' | 'username' | 'password'>;
}

/** The MLflow tracker when MLFLOW_TRACKING_URI is set, else the embedded one (see `trackerConfig`). */
export function createTracker(env: NodeJS.ProcessEnv, deps: TrackerDeps): ExperimentTracker {
  const config = trackerConfig(env);
  switch (config.kind) {
    case 'embedded':
      return new EmbeddedTracker({ prisma: deps.prisma, store: deps.store });
    case 'mlflow': {
      const { kind: _kind, ...auth } = config;
      return new MlflowTracker({ client: new MlflowClient({ ...deps.mlflow, ...auth }) });
    }
    default:
      return unreachable(config);
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled tracker config ${JSON.stringify(value)}`);
}
