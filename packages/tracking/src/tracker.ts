/**
 * The experiment-tracking contract. Two back ends implement it:
 * - `MlflowTracker` (an MLflow 2.x tracking server over its REST API), chosen when MLFLOW_TRACKING_URI is set;
 * - `EmbeddedTracker` (PostgreSQL and the artifact store), the default, so a machine without an MLflow
 *   server keeps the same record.
 *
 * Semantics shared by both (and MLflow's own):
 * - parameters are stored as strings and are immutable: logging another value for a logged key fails with
 *   PARAM_CONFLICT (embedded) or MLflow's INVALID_PARAMETER_VALUE; logging the same value again is a no-op;
 * - metrics are appended, never overwritten: a key holds a history of (step, timestamp, value) points;
 * - tags are mutable: the last value written wins.
 */

/** What `logParams` accepts; stored as `String(value)`. */
export type ParamValue = string | number | boolean;

export const RUN_STATUSES = ['RUNNING', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The statuses a run can end with. */
export type EndStatus = Exclude<RunStatus, 'RUNNING'>;

export type TrackerBackend = 'mlflow' | 'embedded';

export interface StartRunOptions {
  /** The experiment's name; created when it does not exist. */
  experiment: string;
  runName?: string;
  tags?: Record<string, string>;
}

/** One point of a metric's history. */
export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: Date;
}

/** A run as the back end keeps it. */
export interface RunRecord {
  id: string;
  experimentId: string;
  name: string | null;
  status: RunStatus;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** The latest value of each metric: the point with the highest step, then the latest timestamp. */
  metrics: Record<string, number>;
  startedAt: Date;
  endedAt: Date | null;
  /**
   * The root of the run's artifacts: `mlflow-artifacts:/<experiment>/<run>/artifacts` (MLflow); null for
   * the embedded tracker, where each logged folder has its own store URI (`EmbeddedTracker.listArtifacts`).
   */
  artifactUri: string | null;
}

/** What one `logArtifacts` call stored. */
export interface LoggedArtifacts {
  /** The folder inside the run's artifacts that received the files. */
  path: string;
  /** Where the folder is: the artifact store's URI (embedded) or `<artifact_uri>/<path>` (MLflow). */
  uri: string;
  /** The files, '/'-separated, relative to `path`, sorted. */
  files: string[];
  sizeBytes: number;
}

export interface TrackedRun {
  readonly id: string;
  readonly experimentId: string;
  logParams(params: Record<string, ParamValue>): Promise<void>;
  /**
   * Appends one point per metric. `step` defaults to 0 and must be an integer in the int32 range;
   * `timestamp` defaults to now. Values must be finite (INVALID_INPUT otherwise).
   */
  logMetrics(metrics: Record<string, number>, step?: number, timestamp?: Date): Promise<void>;
  /**
   * Copies every file under `localDir` into the run's artifacts under `artifactPath`, which defaults to
   * the folder's own name (both back ends, so the record is the same: unlike MLflow's Python client,
   * which puts files at the root when no path is given). `artifactPath` is '/'-separated segments of
   * [A-Za-z0-9._-]; a path may be logged once per run and may not lie inside another logged path.
   */
  logArtifacts(localDir: string, artifactPath?: string): Promise<LoggedArtifacts>;
  setTags(tags: Record<string, string>): Promise<void>;
  /** Marks the run ended (default FINISHED) and records the end time. */
  end(status?: EndStatus): Promise<void>;
}

/**
 * The answer of a model-registry operation: the embedded back end keeps no model registry (versions,
 * stages and promotion live in @recsys/registry), so it answers `{ supported: false, reason }` and
 * records nothing; callers that need a registry check `supported`.
 */
export type RegistryOperationResult<T> = ({ supported: true } & T) | { supported: false; reason: string };

export interface RegisteredModelVersion {
  name: string;
  version: string;
}

export interface ExperimentTracker {
  readonly backend: TrackerBackend;
  startRun(options: StartRunOptions): Promise<TrackedRun>;
  /** The run, or null when there is no run with that id. */
  getRun(runId: string): Promise<RunRecord | null>;
  /** The experiment's runs, newest first; empty when the experiment does not exist. */
  listRuns(experiment: string): Promise<RunRecord[]>;
  /** Every point of one metric of a run, by step, then timestamp, then logging order. */
  metricHistory(runId: string, key: string): Promise<MetricPoint[]>;
  /** Registers `source` (an artifact URI) as a new version of the registered model `name`, created on demand. */
  registerModelVersion(
    name: string,
    runId: string,
    source: string,
  ): Promise<RegistryOperationResult<RegisteredModelVersion>>;
  /** Points `alias` of the registered model `name` at `version`. */
  setAlias(
    name: string,
    alias: string,
    version: string,
  ): Promise<RegistryOperationResult<RegisteredModelVersion & { alias: string }>>;
}
