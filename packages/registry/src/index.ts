export * from './contract';
export { RegistryError, RegistryErrorCode, isRegistryError } from './errors';
export { consoleLogger, type RegistryLogger } from './logger';
export { ModelRegistry, type ModelRegistryOptions } from './model-registry';
export {
  parseModelStageEvent,
  publishModelEvents,
  subscribeModelEvents,
  type PublishModelEventsOptions,
  type SubscribeModelEventsOptions,
} from './model-events';
export { NEXT_STAGES, PROMOTION_STAGES } from './stage-rules';
export { artifactKeySegments, versionArtifactKey } from './artifact-store/artifact-key';
export { LocalArtifactStore } from './artifact-store/local-artifact-store';
export {
  S3ArtifactStore,
  DOWNLOAD_COMPLETE_MARKER,
  type S3ArtifactStoreOptions,
} from './artifact-store/s3-artifact-store';
export {
  artifactStoreConfig,
  createArtifactStore,
  defaultArtifactsDir,
  type ArtifactStoreConfig,
} from './artifact-store/create-artifact-store';
export * from './promotion-gate';
