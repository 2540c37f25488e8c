/**
 * The model registry's contract, shared by the training side (register, promote) and serving (find the
 * production version of a placement, fetch its artifact, hear about promotions).
 */

export const MODEL_STAGES = ['CANDIDATE', 'SHADOW', 'CANARY', 'PRODUCTION', 'ARCHIVED'] as const;
export type ModelStageName = (typeof MODEL_STAGES)[number];

export function isModelStageName(value: string): value is ModelStageName {
  return (MODEL_STAGES as readonly string[]).includes(value);
}

/** The placement a version serves when `RegisterModelInput.placement` is not given. */
export const DEFAULT_PLACEMENT = 'home';

export interface ModelVersionRecord {
  id: string;
  modelType: string;
  version: number;
  placement: string;
  datasetId: string;
  dataFingerprint: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  protocol: string | null;
  /** file:///abs/dir or s3://bucket/prefix */
  artifactUri: string;
  stage: ModelStageName;
  canaryPercent: number | null;
  createdAt: Date;
  createdBy: string | null;
  promotedAt: Date | null;
  promotedBy: string | null;
  /** The queue job that trained it (unique: a retried job gets this version back from `register`). */
  sourceJobId: string | null;
  /** The experiment-tracking run that produced it. */
  trackingRunId: string | null;
}

export interface RegisterModelInput {
  modelType: string;
  /** Default `DEFAULT_PLACEMENT` ('home'). */
  placement?: string;
  datasetId: string;
  dataFingerprint: string;
  /** Stored as JSON: values must be JSON-serialisable. */
  params: Record<string, unknown>;
  /** Finite numbers only (INVALID_INPUT otherwise). */
  metrics: Record<string, number>;
  protocol?: string;
  /** The local artifact folder written by `model.save(dir)`; the store copies it. */
  artifactDir: string;
  createdBy?: string;
  /**
   * The queue job that trained it. Registering again with the same job id returns the version already
   * registered (nothing is uploaded), so a retried job never adds a second version.
   */
  sourceJobId?: string;
  trackingRunId?: string;
}

export interface StageChangeInput {
  actor: string;
  reason?: string;
  /** An ADMIN overriding a promotion gate; recorded in the audit log. */
  forced?: boolean;
  /** For CANARY (required there, 1..100); not allowed for other stages. */
  canaryPercent?: number;
}

/** One row of the audit log: a stage change of one version. */
export interface StageChangeRecord {
  /** The audit row's id (a bigint, as a string). */
  id: string;
  versionId: string;
  placement: string;
  /** null for the version's first recorded stage. */
  fromStage: ModelStageName | null;
  toStage: ModelStageName;
  actor: string;
  reason: string | null;
  forced: boolean;
  occurredAt: Date;
}

/** Filters of `ModelRegistry.list`; all optional, combined with AND. */
export interface ModelVersionFilter {
  modelType?: string;
  placement?: string;
  stage?: ModelStageName;
}

/** Whose audit log `ModelRegistry.history` returns: a placement's or one version's. */
export type HistoryTarget = { placement: string } | { versionId: string };

/** Where artifact folders live: a local directory or S3-compatible storage. */
export interface ArtifactStore {
  /** Copies a local artifact folder into the store under `key`; returns its URI. */
  put(localDir: string, key: string): Promise<string>;
  /**
   * Makes the artifact at `uri` available as a local folder (a no-op path for the local store, a download
   * into `cacheDir` for S3) and returns that folder.
   */
  fetch(uri: string, cacheDir: string): Promise<string>;
  delete(uri: string): Promise<void>;
}

/** The Redis pub/sub channel on which promotions are announced. */
export const MODEL_EVENTS_CHANNEL = 'recsys:model-events';

export interface ModelStageEvent {
  kind: 'stage-changed';
  versionId: string;
  placement: string;
  stage: ModelStageName;
  /** ISO-8601 time of the change. */
  at: string;
}
