import { type Prisma, type PrismaClient } from '@recsys/db';
import { RegistryErrorCode, isRegistryError, type ArtifactStore } from '@recsys/registry';
import { TrackingError, TrackingErrorCode } from '../errors';
import {
  artifactPathsOverlap,
  checkMetrics,
  checkTags,
  listLocalFiles,
  normalizeParams,
  resolveArtifactPath,
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
  StartRunOptions,
  TrackedRun,
} from '../tracker';

export interface EmbeddedTrackerOptions {
  prisma: PrismaClient;
  /** Where logged artifact folders are copied, under `tracking/<runId>/<path>`. */
  store: ArtifactStore;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

/** One folder logged with `logArtifacts`: a TrackingArtifact row. */
export interface ArtifactRecord {
  path: string;
  /** The artifact store's URI of the folder (`ArtifactStore.fetch` reads it). */
  uri: string;
  sizeBytes: number;
  createdAt: Date;
}

const NO_REGISTRY =
  'the embedded tracker keeps no model registry: register model versions with @recsys/registry (ModelRegistry)';

/**
 * The tracker that needs no server: experiments, runs, parameters, metric histories and artifacts in
 * PostgreSQL (the Tracking* tables) and the artifact store. Experiments are created by name on demand.
 * Model-registry operations answer `{ supported: false }` and record nothing.
 */
export class EmbeddedTracker implements ExperimentTracker {
  readonly backend = 'embedded' as const;
  private readonly prisma: PrismaClient;
  private readonly store: ArtifactStore;
  private readonly now: () => Date;

  constructor(options: EmbeddedTrackerOptions) {
    this.prisma = options.prisma;
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
  }

  async startRun(options: StartRunOptions): Promise<TrackedRun> {
    const tags = options.tags ?? {};
    checkTags(tags);
    const experiment = await this.experiment(options.experiment);
    const run = await this.prisma.trackingRun.create({
      data: {
        experimentId: experiment.id,
        name: options.runName ?? null,
        tags,
        params: {},
        startedAt: this.now(),
      },
    });
    return new EmbeddedTrackedRun(this.prisma, this.store, this.now, run.id, experiment.id);
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const run = await this.prisma.trackingRun.findUnique({ where: { id: runId } });
    if (!run) return null;
    const [record] = await this.toRecords([run]);
    return record;
  }

  async listRuns(experiment: string): Promise<RunRecord[]> {
    const runs = await this.prisma.trackingRun.findMany({
      where: { experiment: { name: experiment } },
      orderBy: [{ startedAt: 'desc' }, { id: 'asc' }],
    });
    return this.toRecords(runs);
  }

  async metricHistory(runId: string, key: string): Promise<MetricPoint[]> {
    const rows = await this.prisma.trackingMetric.findMany({
      where: { runId, key },
      orderBy: [{ step: 'asc' }, { timestamp: 'asc' }, { id: 'asc' }],
    });
    return rows.map((r) => ({ key: r.key, value: r.value, step: r.step, timestamp: r.timestamp }));
  }

  /** Not supported here: answers `{ supported: false, reason }` and records nothing. */
  async registerModelVersion(
    _name: string,
    _runId: string,
    _source: string,
  ): Promise<RegistryOperationResult<RegisteredModelVersion>> {
    return { supported: false, reason: NO_REGISTRY };
  }

  /** Not supported here: answers `{ supported: false, reason }` and records nothing. */
  async setAlias(
    _name: string,
    _alias: string,
    _version: string,
  ): Promise<RegistryOperationResult<RegisteredModelVersion & { alias: string }>> {
    return { supported: false, reason: NO_REGISTRY };
  }

  /** The folders a run logged, by path. */
  async listArtifacts(runId: string): Promise<ArtifactRecord[]> {
    const rows = await this.prisma.trackingArtifact.findMany({ where: { runId }, orderBy: { path: 'asc' } });
    return rows.map((r) => ({
      path: r.path,
      uri: r.uri,
      sizeBytes: Number(r.sizeBytes),
      createdAt: r.createdAt,
    }));
  }

  /** A logged folder as a local folder (`ArtifactStore.fetch`: the folder itself, or a download into cacheDir). */
  async fetchArtifacts(runId: string, artifactPath: string, cacheDir: string): Promise<string> {
    const row = await this.prisma.trackingArtifact.findUnique({
      where: { runId_path: { runId, path: artifactPath } },
    });
    if (!row) {
      throw new TrackingError(
        TrackingErrorCode.ARTIFACT_MISSING,
        `run ${runId} has no artifacts at "${artifactPath}"`,
      );
    }
    return this.store.fetch(row.uri, cacheDir);
  }

  private async experiment(name: string): Promise<{ id: string }> {
    if (name.length === 0)
      throw new TrackingError(TrackingErrorCode.INVALID_INPUT, 'experiment names are not empty');
    try {
      return await this.prisma.trackingExperiment.upsert({
        where: { name },
        create: { name },
        update: {},
        select: { id: true },
      });
    } catch (error) {
      // Two first runs of one experiment at once: the loser of the insert reads the winner's row.
      if (!isUniqueViolation(error)) throw error;
      return this.prisma.trackingExperiment.findUniqueOrThrow({ where: { name }, select: { id: true } });
    }
  }

  /** Runs as records, with each metric's latest value (one DISTINCT ON query for all of them). */
  private async toRecords(runs: Prisma.TrackingRunModel[]): Promise<RunRecord[]> {
    if (runs.length === 0) return [];
    const latest = await this.prisma.$queryRaw<{ runId: string; key: string; value: number }[]>`
      SELECT DISTINCT ON ("runId", "key") "runId", "key", "value"
      FROM "TrackingMetric"
      WHERE "runId" = ANY(${runs.map((r) => r.id)}::text[])
      ORDER BY "runId", "key", "step" DESC, "timestamp" DESC, "id" DESC`;
    const metrics = new Map<string, Record<string, number>>();
    for (const row of latest) {
      const forRun = metrics.get(row.runId) ?? {};
      forRun[row.key] = row.value;
      metrics.set(row.runId, forRun);
    }
    return runs.map((run) => ({
      id: run.id,
      experimentId: run.experimentId,
      name: run.name,
      status: run.status,
      params: stringRecord(run.params),
      tags: stringRecord(run.tags),
      metrics: metrics.get(run.id) ?? {},
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      artifactUri: null,
    }));
  }
}

class EmbeddedTrackedRun implements TrackedRun {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: ArtifactStore,
    private readonly now: () => Date,
    readonly id: string,
    readonly experimentId: string,
  ) {}

  /**
   * Adds parameters under a row lock, so concurrent calls neither lose keys nor both set one key:
   * a key logged with another value fails with PARAM_CONFLICT and nothing of the call is stored.
   */
  async logParams(params: Record<string, ParamValue>): Promise<void> {
    const incoming = normalizeParams(params);
    if (Object.keys(incoming).length === 0) return;
    await this.prisma.$transaction(async (tx) => {
      // One round trip: lock the row (concurrent loggers merge one after the other) and read its params.
      const locked = await tx.$queryRaw<{ params: Prisma.JsonValue }[]>`
        SELECT "params" FROM "TrackingRun" WHERE "id" = ${this.id} FOR NO KEY UPDATE`;
      const run = locked[0];
      if (run === undefined) throw runNotFound(this.id);
      const current = stringRecord(run.params);
      const conflicts = Object.entries(incoming).filter(([k, v]) => k in current && current[k] !== v);
      if (conflicts.length > 0) {
        const list = conflicts.map(([k, v]) => `"${k}": logged "${current[k]}", now "${v}"`).join('; ');
        throw new TrackingError(
          TrackingErrorCode.PARAM_CONFLICT,
          `run ${this.id}: parameters are immutable (${list})`,
        );
      }
      if (Object.keys(incoming).every((k) => k in current)) return;
      await tx.trackingRun.update({ where: { id: this.id }, data: { params: { ...current, ...incoming } } });
    });
  }

  async logMetrics(metrics: Record<string, number>, step = 0, timestamp?: Date): Promise<void> {
    checkMetrics(metrics, step);
    const time = timestamp ?? this.now();
    const data = Object.entries(metrics).map(([key, value]) => ({
      runId: this.id,
      key,
      value,
      step,
      timestamp: time,
    }));
    if (data.length === 0) return;
    try {
      await this.prisma.trackingMetric.createMany({ data });
    } catch (error) {
      if (!(await this.exists())) throw runNotFound(this.id, error);
      throw error;
    }
  }

  /** Tags are merged into the run's (last write wins) in one statement. */
  async setTags(tags: Record<string, string>): Promise<void> {
    checkTags(tags);
    const updated = await this.prisma.$executeRaw`
      UPDATE "TrackingRun" SET "tags" = "tags" || ${JSON.stringify(tags)}::jsonb WHERE "id" = ${this.id}`;
    if (updated === 0) throw runNotFound(this.id);
  }

  /**
   * Copies the folder into the store under `tracking/<runId>/<path>` and records it. A path already
   * logged, inside a logged path or holding one fails with ARTIFACT_PATH_TAKEN. (The overlap check and the
   * copy are not one transaction: two concurrent calls with nested paths on one run are not caught.)
   */
  async logArtifacts(localDir: string, artifactPath?: string): Promise<LoggedArtifacts> {
    const target = resolveArtifactPath(localDir, artifactPath);
    const files = await listLocalFiles(localDir);
    if (!(await this.exists())) throw runNotFound(this.id);
    const logged = await this.prisma.trackingArtifact.findMany({
      where: { runId: this.id },
      select: { path: true },
    });
    const taken = logged.find((a) => artifactPathsOverlap(a.path, target));
    if (taken) throw pathTaken(this.id, target, taken.path);
    let uri: string;
    try {
      uri = await this.store.put(localDir, `tracking/${this.id}/${target}`);
    } catch (error) {
      if (isRegistryError(error, RegistryErrorCode.ARTIFACT_EXISTS))
        throw pathTaken(this.id, target, target, error);
      throw error;
    }
    const sizeBytes = files.reduce((sum, f) => sum + f.sizeBytes, 0);
    try {
      await this.prisma.trackingArtifact.create({
        data: { runId: this.id, path: target, uri, sizeBytes: BigInt(sizeBytes) },
      });
    } catch (error) {
      await this.store.delete(uri);
      if (isUniqueViolation(error)) throw pathTaken(this.id, target, target, error);
      throw error;
    }
    return { path: target, uri, files: files.map((f) => f.relativePath), sizeBytes };
  }

  async end(status: EndStatus = 'FINISHED'): Promise<void> {
    const { count } = await this.prisma.trackingRun.updateMany({
      where: { id: this.id },
      data: { status, endedAt: this.now() },
    });
    if (count === 0) throw runNotFound(this.id);
  }

  private async exists(): Promise<boolean> {
    return (await this.prisma.trackingRun.count({ where: { id: this.id } })) > 0;
  }
}

/** A JSON column holding `{ key: string }` as a record; other values are skipped. */
function stringRecord(value: Prisma.JsonValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function runNotFound(runId: string, cause?: unknown): TrackingError {
  return new TrackingError(TrackingErrorCode.RUN_NOT_FOUND, `no tracking run ${runId}`, { cause });
}

function pathTaken(runId: string, target: string, taken: string, cause?: unknown): TrackingError {
  return new TrackingError(
    TrackingErrorCode.ARTIFACT_PATH_TAKEN,
    `run ${runId}: artifact path "${target}" collides with the logged "${taken}"`,
    { cause },
  );
}

/** A unique-constraint violation as Prisma reports it (P2002). */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}
