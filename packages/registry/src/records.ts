import type { Prisma } from '@recsys/db';
import type { ModelVersionRecord, StageChangeRecord } from './contract';
import { RegistryError, RegistryErrorCode } from './errors';

export type ModelVersionRow = Prisma.ModelVersionModel;
export type StageChangeRow = Prisma.ModelStageChangeModel;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectOf(value: Prisma.JsonValue): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function numbersOf(value: Prisma.JsonValue): Record<string, number> {
  const out: Record<string, number> = {};
  if (!isPlainObject(value)) return out;
  for (const [key, v] of Object.entries(value)) if (typeof v === 'number') out[key] = v;
  return out;
}

export function toModelVersionRecord(row: ModelVersionRow): ModelVersionRecord {
  return {
    id: row.id,
    modelType: row.modelType,
    version: row.version,
    placement: row.placement,
    datasetId: row.datasetId,
    dataFingerprint: row.dataFingerprint,
    params: objectOf(row.params),
    metrics: numbersOf(row.metrics),
    protocol: row.protocol,
    artifactUri: row.artifactUri,
    stage: row.stage,
    canaryPercent: row.canaryPercent,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    promotedAt: row.promotedAt,
    promotedBy: row.promotedBy,
    sourceJobId: row.sourceJobId,
    trackingRunId: row.trackingRunId,
  };
}

export function toStageChangeRecord(row: StageChangeRow): StageChangeRecord {
  return {
    id: row.id.toString(),
    versionId: row.modelVersionId,
    placement: row.placement,
    fromStage: row.fromStage,
    toStage: row.toStage,
    actor: row.actor,
    reason: row.reason,
    forced: row.forced,
    occurredAt: row.occurredAt,
  };
}

/** `params` as a JSON column value: a JSON round trip (INVALID_INPUT when it is not serialisable). */
export function paramsJson(params: Record<string, unknown>): Prisma.InputJsonObject {
  let text: string;
  try {
    text = JSON.stringify(params);
  } catch (error) {
    throw new RegistryError(RegistryErrorCode.INVALID_INPUT, 'params are not JSON-serialisable', {
      cause: error,
    });
  }
  const parsed: unknown = JSON.parse(text);
  if (!isPlainObject(parsed))
    throw new RegistryError(RegistryErrorCode.INVALID_INPUT, 'params must be an object');
  return parsed as Prisma.InputJsonObject;
}

/** `metrics` as a JSON column value: finite numbers only (JSON has no NaN or Infinity). */
export function metricsJson(metrics: Record<string, number>): Prisma.InputJsonObject {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(metrics)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RegistryError(
        RegistryErrorCode.INVALID_INPUT,
        `metric "${key}" is ${String(value)}, not a finite number`,
      );
    }
    out[key] = value;
  }
  return out;
}
