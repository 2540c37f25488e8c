import type { Redis } from 'ioredis';
import {
  isRegistryError,
  RegistryErrorCode,
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
  /** The version with `id` (VERSION_NOT_FOUND when none); without it, versions by id are not served. */
  get?(id: string): Promise<ModelVersionRecord>;
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
  /** The version's artifact made local, or null when it was trained on another dataset (logged). */
  const refOf = async (record: ModelVersionRecord, context: object): Promise<ModelRef | null> => {
    if (options.datasetId !== undefined && record.datasetId !== options.datasetId) {
      logger.warn(
        { ...context, versionId: record.id, trainedOn: record.datasetId, serving: options.datasetId },
        'model version was trained on another dataset; not serving it',
      );
      return null;
    }
    return {
      versionId: record.id,
      versionLabel: `${record.modelType}@${record.version}`,
      dir: await store.fetch(record.artifactUri, cacheDir),
    };
  };
  return {
    async production(placement: Placement): Promise<ModelRef | null> {
      const record = await registry.production(placement);
      return record === null ? null : refOf(record, { placement });
    },
    async version(versionId: string): Promise<ModelRef | null> {
      if (registry.get === undefined) return null;
      let record: ModelVersionRecord;
      try {
        record = await registry.get(versionId);
      } catch (error) {
        if (isRegistryError(error, RegistryErrorCode.VERSION_NOT_FOUND)) return null;
        throw error;
      }
      return refOf(record, { requested: versionId });
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
