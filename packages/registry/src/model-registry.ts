import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '@recsys/db';
import type { Redis } from 'ioredis';
import { lockForTransaction } from './advisory-lock';
import { versionArtifactKey } from './artifact-store/artifact-key';
import {
  DEFAULT_PLACEMENT,
  type ArtifactStore,
  type HistoryTarget,
  type ModelStageEvent,
  type ModelStageName,
  type ModelVersionFilter,
  type ModelVersionRecord,
  type RegisterModelInput,
  type StageChangeInput,
  type StageChangeRecord,
} from './contract';
import { RegistryError, RegistryErrorCode } from './errors';
import { consoleLogger, type RegistryLogger } from './logger';
import { publishModelEvents } from './model-events';
import {
  metricsJson,
  paramsJson,
  toModelVersionRecord,
  toStageChangeRecord,
  type ModelVersionRow,
} from './records';
import { checkStageChangeInput, checkTransition, PROMOTION_STAGES } from './stage-rules';

export interface ModelRegistryOptions {
  prisma: PrismaClient;
  store: ArtifactStore;
  /** Where stage changes are announced (MODEL_EVENTS_CHANNEL); without it nothing is published. */
  redis?: Redis;
  /** @defaultValue console */
  logger?: RegistryLogger;
  /**
   * Longest a `register` may take from taking its model type's version lock to committing (the artifact
   * upload happens in between).
   * @defaultValue 600000 (10 minutes)
   */
  registerTimeoutMs?: number;
  /**
   * Longest a stage change transaction may take.
   * @defaultValue 15000
   */
  stageChangeTimeoutMs?: number;
  /**
   * Longest wait for Redis to take one event.
   * @defaultValue 2000
   */
  publishTimeoutMs?: number;
}

/** The audit actor of a registration without `createdBy`. */
const UNKNOWN_ACTOR = 'unknown';

interface StageChangeResult {
  record: ModelVersionRecord;
  events: ModelStageEvent[];
}

function requireName(what: string, value: string): string {
  if (value.trim().length === 0) throw new RegistryError(RegistryErrorCode.INVALID_INPUT, `${what} is empty`);
  return value;
}

/**
 * Model versions, their stages and the audit log, over PostgreSQL (Prisma) and an artifact store.
 *
 * - `register` numbers versions 1, 2, 3... per model type under a PostgreSQL advisory lock, uploads the
 *   artifact before inserting the row, and deletes the upload when the insert fails.
 * - Stage changes run in one transaction per call under a per-placement advisory lock, write one audit
 *   row per version they change, archive the placement's previous PRODUCTION version on promotion (so
 *   the partial unique index never trips), and are announced on Redis after the commit.
 */
export class ModelRegistry {
  readonly store: ArtifactStore;
  private readonly prisma: PrismaClient;
  private readonly redis: Redis | undefined;
  private readonly logger: RegistryLogger;
  private readonly registerTimeoutMs: number;
  private readonly stageChangeTimeoutMs: number;
  private readonly publishTimeoutMs: number;

  constructor(options: ModelRegistryOptions) {
    const opts = {
      logger: consoleLogger,
      registerTimeoutMs: 600_000,
      stageChangeTimeoutMs: 15_000,
      publishTimeoutMs: 2_000,
      ...options,
    };
    this.prisma = opts.prisma;
    this.store = opts.store;
    this.redis = opts.redis;
    this.logger = opts.logger;
    this.registerTimeoutMs = opts.registerTimeoutMs;
    this.stageChangeTimeoutMs = opts.stageChangeTimeoutMs;
    this.publishTimeoutMs = opts.publishTimeoutMs;
  }

  /**
   * Registers a trained model as a CANDIDATE: the next version of its type, its artifact copied into the
   * store under `${modelType}/v${version}-${shortid}`. Either both the row and the artifact exist
   * afterwards, or (on error) neither. With a `sourceJobId` already registered, returns that version.
   */
  async register(input: RegisterModelInput): Promise<ModelVersionRecord> {
    const modelType = requireName('modelType', input.modelType);
    const placement = requireName('placement', input.placement ?? DEFAULT_PLACEMENT);
    const params = paramsJson(input.params);
    const metrics = metricsJson(input.metrics);
    const jobId = input.sourceJobId;
    if (jobId !== undefined) {
      const existing = await this.findBySourceJob(jobId);
      if (existing) return existing;
    }
    const id = randomUUID();
    let artifactUri: string | null = null;
    try {
      const row = await this.prisma.$transaction(
        async (tx) => {
          await lockForTransaction(tx, 'recsys:model-version', modelType);
          const latest = await tx.modelVersion.aggregate({ where: { modelType }, _max: { version: true } });
          const version = (latest._max.version ?? 0) + 1;
          artifactUri = await this.store.put(input.artifactDir, versionArtifactKey(modelType, version));
          const at = new Date();
          const created = await tx.modelVersion.create({
            data: {
              id,
              modelType,
              version,
              placement,
              datasetId: input.datasetId,
              dataFingerprint: input.dataFingerprint,
              params,
              metrics,
              protocol: input.protocol ?? null,
              artifactUri,
              stage: 'CANDIDATE',
              createdAt: at,
              createdBy: input.createdBy ?? null,
              sourceJobId: jobId ?? null,
              trackingRunId: input.trackingRunId ?? null,
            },
          });
          await tx.modelStageChange.create({
            data: {
              modelVersionId: id,
              placement,
              fromStage: null,
              toStage: 'CANDIDATE',
              actor: input.createdBy ?? UNKNOWN_ACTOR,
              reason: 'registered',
              occurredAt: at,
            },
          });
          return created;
        },
        { maxWait: this.registerTimeoutMs, timeout: this.registerTimeoutMs },
      );
      const record = toModelVersionRecord(row);
      await this.announce([eventOf(record, record.createdAt)]);
      return record;
    } catch (error) {
      if (artifactUri !== null) await this.discardUpload(id, artifactUri);
      // The same job registering concurrently won the race for its unique sourceJobId: that is the answer.
      if (jobId !== undefined && isUniqueViolation(error)) {
        const existing = await this.findBySourceJob(jobId);
        if (existing) return existing;
      }
      throw error;
    }
  }

  /** The version the queue job `sourceJobId` registered, or null (lets a retried job skip training). */
  async findBySourceJob(sourceJobId: string): Promise<ModelVersionRecord | null> {
    const row = await this.prisma.modelVersion.findUnique({ where: { sourceJobId } });
    return row ? toModelVersionRecord(row) : null;
  }

  /** The version with `id` (VERSION_NOT_FOUND when there is none). */
  async get(id: string): Promise<ModelVersionRecord> {
    const row = await this.prisma.modelVersion.findUnique({ where: { id } });
    if (!row) throw notFound(id);
    return toModelVersionRecord(row);
  }

  /** Versions matching every given filter, newest first. */
  async list(filter: ModelVersionFilter = {}): Promise<ModelVersionRecord[]> {
    const rows = await this.prisma.modelVersion.findMany({
      where: { modelType: filter.modelType, placement: filter.placement, stage: filter.stage },
      orderBy: [{ createdAt: 'desc' }, { version: 'desc' }],
    });
    return rows.map(toModelVersionRecord);
  }

  /** The PRODUCTION version of `placement`, or null when none serves it. */
  async production(placement: string): Promise<ModelVersionRecord | null> {
    const row = await this.prisma.modelVersion.findFirst({ where: { placement, stage: 'PRODUCTION' } });
    return row ? toModelVersionRecord(row) : null;
  }

  /**
   * Moves version `id` to `stage` (INVALID_STAGE_CHANGE when the rules forbid it), writing the audit row
   * in the same transaction. Promoting to PRODUCTION archives the placement's current production version
   * in that transaction too, with its own audit row. Returns the changed version.
   */
  async setStage(id: string, stage: ModelStageName, change: StageChangeInput): Promise<ModelVersionRecord> {
    checkStageChangeInput(stage, change);
    const located = await this.prisma.modelVersion.findUnique({ where: { id }, select: { placement: true } });
    if (!located) throw notFound(id);
    const result = await this.inPlacementTransaction(located.placement, async (tx) => {
      const row = await tx.modelVersion.findUnique({ where: { id } });
      if (!row) throw notFound(id);
      return this.applyStageChange(tx, row, stage, change);
    });
    await this.announce(result.events);
    return result.record;
  }

  /**
   * Puts back in production the version of `placement` that most recently was in production and is now
   * ARCHIVED (per the audit log), archiving the current one. NO_ROLLBACK_TARGET when there is none.
   */
  async rollback(placement: string, actor: string, reason?: string): Promise<ModelVersionRecord> {
    const change: StageChangeInput = { actor, reason: reason ? `rollback: ${reason}` : 'rollback' };
    checkStageChangeInput('PRODUCTION', change);
    const result = await this.inPlacementTransaction(placement, async (tx) => {
      const previous = await tx.modelStageChange.findFirst({
        where: { placement, toStage: 'PRODUCTION', modelVersion: { placement, stage: 'ARCHIVED' } },
        orderBy: { id: 'desc' },
        include: { modelVersion: true },
      });
      if (!previous) {
        throw new RegistryError(
          RegistryErrorCode.NO_ROLLBACK_TARGET,
          `placement "${placement}" has no archived version that was in production`,
        );
      }
      return this.applyStageChange(tx, previous.modelVersion, 'PRODUCTION', change);
    });
    await this.announce(result.events);
    return result.record;
  }

  /** The audit log of a placement or of one version, oldest first. */
  async history(target: HistoryTarget): Promise<StageChangeRecord[]> {
    const where =
      'placement' in target ? { placement: target.placement } : { modelVersionId: target.versionId };
    const rows = await this.prisma.modelStageChange.findMany({ where, orderBy: { id: 'asc' } });
    return rows.map(toStageChangeRecord);
  }

  /** The version's artifact as a local folder (downloaded into `cacheDir` for remote stores). */
  async fetchArtifact(version: Pick<ModelVersionRecord, 'artifactUri'>, cacheDir: string): Promise<string> {
    return this.store.fetch(version.artifactUri, cacheDir);
  }

  private inPlacementTransaction(
    placement: string,
    work: (tx: Prisma.TransactionClient) => Promise<StageChangeResult>,
  ): Promise<StageChangeResult> {
    return this.prisma.$transaction(
      async (tx) => {
        await lockForTransaction(tx, 'recsys:placement', placement);
        return work(tx);
      },
      { maxWait: this.stageChangeTimeoutMs, timeout: this.stageChangeTimeoutMs },
    );
  }

  /** Inside a transaction holding the placement's lock: the change, its side effects and audit rows. */
  private async applyStageChange(
    tx: Prisma.TransactionClient,
    row: ModelVersionRow,
    to: ModelStageName,
    change: StageChangeInput,
  ): Promise<StageChangeResult> {
    checkTransition(row.stage, to, row.canaryPercent, change);
    const at = new Date();
    const forced = change.forced ?? false;
    const events: ModelStageEvent[] = [];
    if (to === 'PRODUCTION') {
      const current = await tx.modelVersion.findFirst({
        where: { placement: row.placement, stage: 'PRODUCTION', id: { not: row.id } },
      });
      if (current) {
        await tx.modelVersion.update({
          where: { id: current.id },
          data: { stage: 'ARCHIVED', canaryPercent: null },
        });
        const replaced = `replaced by ${row.modelType} v${row.version}`;
        await tx.modelStageChange.create({
          data: {
            modelVersionId: current.id,
            placement: current.placement,
            fromStage: current.stage,
            toStage: 'ARCHIVED',
            actor: change.actor,
            reason: change.reason ? `${replaced}: ${change.reason}` : replaced,
            forced,
            occurredAt: at,
          },
        });
        events.push({
          kind: 'stage-changed',
          versionId: current.id,
          placement: current.placement,
          stage: 'ARCHIVED',
          at: at.toISOString(),
        });
      }
    }
    const promoted = PROMOTION_STAGES.includes(to);
    const updated = await tx.modelVersion.update({
      where: { id: row.id },
      data: {
        stage: to,
        canaryPercent: to === 'CANARY' ? (change.canaryPercent ?? null) : null,
        ...(promoted ? { promotedAt: at, promotedBy: change.actor } : {}),
      },
    });
    await tx.modelStageChange.create({
      data: {
        modelVersionId: row.id,
        placement: row.placement,
        fromStage: row.stage,
        toStage: to,
        actor: change.actor,
        reason: change.reason ?? null,
        forced,
        occurredAt: at,
      },
    });
    const record = toModelVersionRecord(updated);
    events.push(eventOf(record, at));
    return { record, events };
  }

  private async announce(events: ModelStageEvent[]): Promise<void> {
    await publishModelEvents(this.redis, events, { logger: this.logger, timeoutMs: this.publishTimeoutMs });
  }

  /**
   * After a failed register: deletes the uploaded artifact unless the row turns out to exist (an error
   * after a successful commit). When that cannot be checked, the artifact is kept: an unreferenced folder
   * is harmless, a row without its artifact is not.
   */
  private async discardUpload(id: string, artifactUri: string): Promise<void> {
    try {
      const row = await this.prisma.modelVersion.findUnique({ where: { id }, select: { id: true } });
      if (row) return;
      await this.store.delete(artifactUri);
    } catch (error) {
      this.logger.warn('a failed register left its artifact behind', {
        artifactUri,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/** A unique-constraint violation as Prisma reports it (P2002). */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}

function notFound(id: string): RegistryError {
  return new RegistryError(RegistryErrorCode.VERSION_NOT_FOUND, `no model version with id ${id}`);
}

function eventOf(record: ModelVersionRecord, at: Date): ModelStageEvent {
  return {
    kind: 'stage-changed',
    versionId: record.id,
    placement: record.placement,
    stage: record.stage,
    at: at.toISOString(),
  };
}
