import { readFile } from 'node:fs/promises';
import { TrackingError, TrackingErrorCode } from '../errors';
import {
  checkMetrics,
  checkTags,
  latestMetrics,
  listLocalFiles,
  normalizeParams,
  resolveArtifactPath,
  sortMetricPoints,
} from '../run-input';
import type {
  EndStatus,
  ExperimentTracker,
  LoggedArtifacts,
  MetricPoint,
  ParamValue,
  RegisteredModelVersion,
  RegistryOperationResult,
  RunRecord,
  RunStatus,
  StartRunOptions,
  TrackedRun,
} from '../tracker';
import { type MlflowClient } from './mlflow-client';
import { MlflowErrorCode, isMlflowError } from './mlflow-error';
import type { MlflowKeyValue, MlflowRun } from './mlflow-types';

export interface MlflowTrackerOptions {
  client: MlflowClient;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

/** Page size of `listRuns` (MLflow's default and usual ceiling for runs/search is 1000). */
const SEARCH_PAGE_SIZE = 1000;

/** The tracker over an MLflow tracking server (see `ExperimentTracker` for the shared semantics). */
export class MlflowTracker implements ExperimentTracker {
  readonly backend = 'mlflow' as const;
  private readonly client: MlflowClient;
  private readonly now: () => Date;
  /** Experiment ids by name, so a process creating many runs asks once. */
  private readonly experimentIds = new Map<string, string>();

  constructor(options: MlflowTrackerOptions) {
    this.client = options.client;
    this.now = options.now ?? (() => new Date());
  }

  async startRun(options: StartRunOptions): Promise<TrackedRun> {
    const tags = options.tags ?? {};
    checkTags(tags);
    const experimentId = await this.experimentId(options.experiment);
    const run = await this.client.createRun({
      experiment_id: experimentId,
      ...(options.runName !== undefined ? { run_name: options.runName } : {}),
      start_time: this.now().getTime(),
      tags: toKeyValues(tags),
    });
    const artifactUri =
      run.info.artifact_uri ?? (await this.client.getRun(run.info.run_id)).info.artifact_uri;
    return new MlflowTrackedRun(this.client, this.now, run.info.run_id, experimentId, artifactUri);
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    try {
      return toRunRecord(await this.client.getRun(runId));
    } catch (error) {
      if (isMlflowError(error, MlflowErrorCode.RESOURCE_DOES_NOT_EXIST)) return null;
      throw error;
    }
  }

  async listRuns(experiment: string): Promise<RunRecord[]> {
    const found = await this.client.getExperimentByName(experiment);
    if (!found) return [];
    const out: RunRecord[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.client.searchRuns({
        experiment_ids: [found.experiment_id],
        max_results: SEARCH_PAGE_SIZE,
        order_by: ['attributes.start_time DESC'],
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      out.push(...page.runs.map(toRunRecord));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return out;
  }

  async metricHistory(runId: string, key: string): Promise<MetricPoint[]> {
    const points = await this.client.getMetricHistory(runId, key);
    return sortMetricPoints(
      points.map((m) => ({ key: m.key, value: m.value, step: m.step, timestamp: new Date(m.timestamp) })),
    );
  }

  async registerModelVersion(
    name: string,
    runId: string,
    source: string,
  ): Promise<RegistryOperationResult<RegisteredModelVersion>> {
    try {
      await this.client.createRegisteredModel(name);
    } catch (error) {
      if (!isMlflowError(error, MlflowErrorCode.RESOURCE_ALREADY_EXISTS)) throw error;
    }
    const version = await this.client.createModelVersion({ name, source, run_id: runId });
    return { supported: true, name: version.name, version: version.version };
  }

  async setAlias(
    name: string,
    alias: string,
    version: string,
  ): Promise<RegistryOperationResult<RegisteredModelVersion & { alias: string }>> {
    await this.client.setRegisteredModelAlias({ name, alias, version });
    return { supported: true, name, alias, version };
  }

  private async experimentId(name: string): Promise<string> {
    const cached = this.experimentIds.get(name);
    if (cached !== undefined) return cached;
    const experiment = await this.client.getOrCreateExperiment(name);
    if (experiment.lifecycle_stage === 'deleted') {
      throw new TrackingError(
        TrackingErrorCode.EXPERIMENT_DELETED,
        `MLflow experiment "${name}" (${experiment.experiment_id}) is deleted: restore it or use another name`,
      );
    }
    this.experimentIds.set(name, experiment.experiment_id);
    return experiment.experiment_id;
  }
}

class MlflowTrackedRun implements TrackedRun {
  constructor(
    private readonly client: MlflowClient,
    private readonly now: () => Date,
    readonly id: string,
    readonly experimentId: string,
    private readonly artifactUri: string | undefined,
  ) {}

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    await this.client.logBatch(this.id, { params: toKeyValues(normalizeParams(params)) });
  }

  async logMetrics(metrics: Record<string, number>, step = 0, timestamp?: Date): Promise<void> {
    checkMetrics(metrics, step);
    const time = (timestamp ?? this.now()).getTime();
    await this.client.logBatch(this.id, {
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: time, step })),
    });
  }

  async logArtifacts(localDir: string, artifactPath?: string): Promise<LoggedArtifacts> {
    const target = resolveArtifactPath(localDir, artifactPath);
    if (this.artifactUri === undefined) {
      throw new TrackingError(
        TrackingErrorCode.UNSUPPORTED_ARTIFACT_URI,
        `MLflow run ${this.id} has no artifact URI`,
      );
    }
    const files = await listLocalFiles(localDir);
    for (const file of files) {
      await this.client.uploadArtifact(
        this.artifactUri,
        `${target}/${file.relativePath}`,
        await readFile(file.absolutePath),
      );
    }
    return {
      path: target,
      uri: `${this.artifactUri.replace(/\/+$/, '')}/${target}`,
      files: files.map((f) => f.relativePath),
      sizeBytes: files.reduce((sum, f) => sum + f.sizeBytes, 0),
    };
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    checkTags(tags);
    await this.client.logBatch(this.id, { tags: toKeyValues(tags) });
  }

  async end(status: EndStatus = 'FINISHED'): Promise<void> {
    await this.client.updateRun({ run_id: this.id, status, end_time: this.now().getTime() });
  }
}

function toKeyValues(record: Record<string, string>): MlflowKeyValue[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

function fromKeyValues(list: MlflowKeyValue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of list) out[key] = value;
  return out;
}

function toRunRecord(run: MlflowRun): RunRecord {
  const { info, data } = run;
  // SCHEDULED (a run queued by MLflow Projects) has not started: reported as RUNNING.
  const status: RunStatus = info.status === 'SCHEDULED' ? 'RUNNING' : info.status;
  return {
    id: info.run_id,
    experimentId: info.experiment_id,
    name: info.run_name ?? null,
    status,
    params: fromKeyValues(data.params),
    tags: fromKeyValues(data.tags),
    metrics: latestMetrics(
      data.metrics.map((m) => ({
        key: m.key,
        value: m.value,
        step: m.step,
        timestamp: new Date(m.timestamp),
      })),
    ),
    startedAt: new Date(info.start_time ?? 0),
    endedAt: info.end_time ? new Date(info.end_time) : null,
    artifactUri: info.artifact_uri ?? null,
  };
}
