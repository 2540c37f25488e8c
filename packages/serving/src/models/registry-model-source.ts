import type { Redis } from 'ioredis';
import {
  subscribeModelEvents,
  type ArtifactStore,
  type ModelVersionRecord,
  type RegistryLogger,
} from '@recsys/registry';
import type { Placement } from '../contract';
import { silentLogger, type Logger } from '../logger';
import type { ModelEventSubscription, ModelRef, ModelSource } from './model-source';

/** The part of the registry serving reads (ModelRegistry meets it). */
export interface ProductionLookup {
  production(placement: string): Promise<ModelVersionRecord | null>;
}

export interface RegistryModelSourceOptions {
  /** When given, a production version trained on another dataset is not served (logged). */
  datasetId?: string;
  logger?: Logger;
}

/**
 * The model source of production: the registry's PRODUCTION version of the placement, its artifact made
 * local by the artifact store (a no-op for the local store, a download into `cacheDir` for S3).
 */
export function registryModelSource(
  registry: ProductionLookup,
  store: ArtifactStore,
  cacheDir: string,
  options: RegistryModelSourceOptions = {},
): ModelSource {
  const logger = options.logger ?? silentLogger;
  return {
    async production(placement: Placement): Promise<ModelRef | null> {
      const record = await registry.production(placement);
      if (record === null) return null;
      if (options.datasetId !== undefined && record.datasetId !== options.datasetId) {
        logger.warn(
          { placement, versionId: record.id, trainedOn: record.datasetId, serving: options.datasetId },
          'production model was trained on another dataset; not serving it',
        );
        return null;
      }
      return {
        versionId: record.id,
        versionLabel: `${record.modelType}@${record.version}`,
        dir: await store.fetch(record.artifactUri, cacheDir),
      };
    },
  };
}

/** Model changes from the registry's Redis channel (MODEL_EVENTS_CHANNEL), on a duplicate connection. */
export function registryModelEvents(redis: Redis, logger: Logger = silentLogger): ModelEventSubscription {
  const registryLogger: RegistryLogger = { warn: (message, details) => logger.warn(details ?? {}, message) };
  return (onChange) =>
    subscribeModelEvents(
      redis,
      (event) => onChange({ placement: event.placement, versionId: event.versionId }),
      {
        logger: registryLogger,
      },
    );
}
