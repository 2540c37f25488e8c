import type { PrismaClient } from '@recsys/db';
import type { ModelStageName, ModelVersionRecord } from './contract';
import type { ModelRegistry } from './model-registry';

/**
 * Promotion gates: a candidate serves traffic (PRODUCTION, CANARY) only when it beats the placement's
 * current production version on the placement's offline metric by a relative margin, and only when both
 * numbers come from the same protocol on the same dataset (numbers of different protocols or datasets
 * are not comparable). An ADMIN may force a promotion past the gate with a reason; the audit row then
 * says `forced`. SHADOW serves no one, so it is never gated.
 */

/** The gate of one placement. */
export interface PlacementGate {
  /** The offline metric compared, a key of the versions' metrics (`ndcg@10`, `rmse`). */
  metric: string;
  /** The relative improvement the candidate needs over production: 0.01 = 1 % better. */
  minRelativeImprovement: number;
  /** Whether larger values are better. Default: false for error metrics (rmse, mae, mse, loss), else true. */
  higherIsBetter?: boolean;
}

export interface PromotionGateConfig {
  /** The gate of placements not listed in `placements`. */
  default: PlacementGate;
  placements: Record<string, PlacementGate>;
}

export const DEFAULT_PROMOTION_GATE_CONFIG: PromotionGateConfig = {
  default: { metric: 'ndcg@10', minRelativeImprovement: 0.01 },
  placements: {},
};

/** Public error codes of the gate (callers branch on `code`). */
export const PromotionGateErrorCode = {
  /** The candidate does not beat production, or the metrics are missing or not comparable. */
  PROMOTION_REFUSED: 'PROMOTION_REFUSED',
  /** `force` by an actor who is not an ADMIN. */
  FORCE_NOT_ALLOWED: 'FORCE_NOT_ALLOWED',
  /** A forced promotion without a reason. */
  REASON_REQUIRED: 'REASON_REQUIRED',
  /** RECSYS_PROMOTION_GATES is not a valid configuration. */
  INVALID_CONFIG: 'INVALID_CONFIG',
} as const;
export type PromotionGateErrorCode = (typeof PromotionGateErrorCode)[keyof typeof PromotionGateErrorCode];

export class PromotionGateError extends Error {
  constructor(
    readonly code: PromotionGateErrorCode,
    message: string,
    /** The gate's verdict, when it was consulted. */
    readonly decision?: GateDecision,
  ) {
    super(message);
    this.name = 'PromotionGateError';
  }
}

/** Why a gate refused: the metrics cannot be compared, one is missing, or the candidate is not better. */
export type GateRefusal = 'NOT_COMPARABLE' | 'METRIC_MISSING' | 'NOT_BETTER';

export interface GateComparison {
  metric: string;
  candidate: number;
  production: number;
  /** (candidate − production) / |production|, signed so that positive is better. */
  relativeImprovement: number;
  required: number;
}

export type GateDecision =
  | { passed: true; reason: string; comparison: GateComparison | null }
  | { passed: false; refusal: GateRefusal; reason: string; comparison: GateComparison | null };

const ERROR_METRIC = /^(rmse|mae|mse|loss)\b/i;

export function gateFor(config: PromotionGateConfig, placement: string): PlacementGate {
  return Object.prototype.hasOwnProperty.call(config.placements, placement)
    ? config.placements[placement]
    : config.default;
}

function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/**
 * The gate's verdict on promoting `candidate` over `production` (null: the placement has none, so the
 * candidate passes). Pure: no database, no clock.
 */
export function checkPromotionGate(
  candidate: ModelVersionRecord,
  production: ModelVersionRecord | null,
  gate: PlacementGate,
): GateDecision {
  if (production === null) {
    return {
      passed: true,
      reason: `placement "${candidate.placement}" has no production version`,
      comparison: null,
    };
  }
  if (production.id === candidate.id) {
    return { passed: true, reason: 'the candidate is the production version', comparison: null };
  }
  const describe = (v: ModelVersionRecord): string =>
    `${v.modelType} v${v.version} (protocol ${v.protocol ?? 'unknown'}, dataset ${v.datasetId})`;
  if (
    candidate.protocol === null ||
    candidate.protocol !== production.protocol ||
    candidate.datasetId !== production.datasetId
  ) {
    return {
      passed: false,
      refusal: 'NOT_COMPARABLE',
      reason: `metrics are not comparable: candidate ${describe(candidate)} vs production ${describe(production)}; the gate compares metrics of the same protocol and dataset only`,
      comparison: null,
    };
  }
  const c = candidate.metrics[gate.metric];
  const p = production.metrics[gate.metric];
  if (typeof c !== 'number' || !Number.isFinite(c) || typeof p !== 'number' || !Number.isFinite(p)) {
    const missing =
      typeof c !== 'number' || !Number.isFinite(c)
        ? `candidate ${describe(candidate)}`
        : `production ${describe(production)}`;
    return {
      passed: false,
      refusal: 'METRIC_MISSING',
      reason: `${missing} has no "${gate.metric}" metric, the gate metric of placement "${candidate.placement}"`,
      comparison: null,
    };
  }
  const higherIsBetter = gate.higherIsBetter ?? !ERROR_METRIC.test(gate.metric);
  const gain = higherIsBetter ? c - p : p - c;
  const relativeImprovement =
    p === 0
      ? gain > 0
        ? Number.POSITIVE_INFINITY
        : gain < 0
          ? Number.NEGATIVE_INFINITY
          : 0
      : gain / Math.abs(p);
  const comparison: GateComparison = {
    metric: gate.metric,
    candidate: c,
    production: p,
    relativeImprovement,
    required: gate.minRelativeImprovement,
  };
  const summary = `${gate.metric} ${c.toFixed(4)} vs production ${p.toFixed(4)} (${relativeImprovement >= 0 ? '+' : ''}${percent(relativeImprovement)}, needs ≥ +${percent(gate.minRelativeImprovement)})`;
  if (relativeImprovement >= gate.minRelativeImprovement && gain > 0) {
    return { passed: true, reason: summary, comparison };
  }
  return {
    passed: false,
    refusal: 'NOT_BETTER',
    reason: `candidate does not beat production: ${summary}`,
    comparison,
  };
}

/** Stages whose promotion is gated: the ones that serve traffic. */
export const GATED_STAGES: readonly ModelStageName[] = ['PRODUCTION', 'CANARY'];

export interface PromoteOptions {
  /** @defaultValue 'PRODUCTION' */
  stage?: Extract<ModelStageName, 'PRODUCTION' | 'CANARY' | 'SHADOW'>;
  /** For CANARY: the share of traffic, 1..100. */
  canaryPercent?: number;
  actor: string;
  reason?: string;
  /** Promote past a refusing gate (an ADMIN only, with a reason); audited as forced. */
  force?: boolean;
  /** The actor's role, as the caller resolved it (`userRole`). Only 'ADMIN' may force. */
  actorRole?: string | null;
  /** @defaultValue DEFAULT_PROMOTION_GATE_CONFIG */
  config?: PromotionGateConfig;
}

export interface PromotionResult {
  version: ModelVersionRecord;
  decision: GateDecision | null;
  forced: boolean;
}

/**
 * Promotes version `versionId` through the gate of its placement: PROMOTION_REFUSED (with the verdict)
 * when the gate refuses and the promotion is not forced; a forced promotion needs an ADMIN actor and a
 * reason and is audited with `forced: true`. The gate's verdict is part of the audit row's reason.
 */
export async function promoteVersion(
  registry: Pick<ModelRegistry, 'get' | 'production' | 'setStage'>,
  versionId: string,
  options: PromoteOptions,
): Promise<PromotionResult> {
  const stage = options.stage ?? 'PRODUCTION';
  const candidate = await registry.get(versionId);
  const change = { actor: options.actor, canaryPercent: options.canaryPercent };
  if (!GATED_STAGES.includes(stage)) {
    const version = await registry.setStage(versionId, stage, { ...change, reason: options.reason });
    return { version, decision: null, forced: false };
  }
  const production = await registry.production(candidate.placement);
  const decision = checkPromotionGate(
    candidate,
    production,
    gateFor(options.config ?? DEFAULT_PROMOTION_GATE_CONFIG, candidate.placement),
  );
  if (decision.passed) {
    const reason = options.reason
      ? `${options.reason} (gate: ${decision.reason})`
      : `gate: ${decision.reason}`;
    const version = await registry.setStage(versionId, stage, { ...change, reason });
    return { version, decision, forced: false };
  }
  if (!options.force) {
    throw new PromotionGateError(
      PromotionGateErrorCode.PROMOTION_REFUSED,
      `promotion of ${candidate.modelType} v${candidate.version} to ${stage} refused: ${decision.reason}`,
      decision,
    );
  }
  if (options.actorRole !== 'ADMIN') {
    throw new PromotionGateError(
      PromotionGateErrorCode.FORCE_NOT_ALLOWED,
      `only an ADMIN may force a promotion past the gate; "${options.actor}" is ${options.actorRole ? `a ${options.actorRole}` : 'not a known user'}`,
      decision,
    );
  }
  if (!options.reason?.trim()) {
    throw new PromotionGateError(
      PromotionGateErrorCode.REASON_REQUIRED,
      'a forced promotion needs a reason (it is kept in the audit log)',
      decision,
    );
  }
  const version = await registry.setStage(versionId, stage, {
    ...change,
    reason: `${options.reason} (forced past the gate: ${decision.reason})`,
    forced: true,
  });
  return { version, decision, forced: true };
}

/** The role of marketplace user `userId` in dataset `datasetId` ('ADMIN', 'PROVIDER', 'USER'), or null. */
export async function userRole(
  prisma: PrismaClient,
  datasetId: string,
  userId: string,
): Promise<string | null> {
  const user = await prisma.user.findUnique({
    where: { datasetId_id: { datasetId, id: userId } },
    select: { role: true },
  });
  return user?.role ?? null;
}

function invalidConfig(message: string): PromotionGateError {
  return new PromotionGateError(PromotionGateErrorCode.INVALID_CONFIG, `RECSYS_PROMOTION_GATES: ${message}`);
}

function parseGate(where: string, value: unknown, fallback: PlacementGate): PlacementGate {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidConfig(`${where} must be an object like {"metric":"ndcg@10","margin":0.01}`);
  }
  const v = value as Record<string, unknown>;
  const metric = v.metric ?? fallback.metric;
  const margin = v.margin ?? fallback.minRelativeImprovement;
  if (typeof metric !== 'string' || metric.length === 0)
    throw invalidConfig(`${where}.metric must be a metric key`);
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0) {
    throw invalidConfig(`${where}.margin must be a number ≥ 0 (a relative improvement: 0.01 = 1%)`);
  }
  if (v.higherIsBetter !== undefined && typeof v.higherIsBetter !== 'boolean') {
    throw invalidConfig(`${where}.higherIsBetter must be true or false`);
  }
  return {
    metric,
    minRelativeImprovement: margin,
    ...(typeof v.higherIsBetter === 'boolean' ? { higherIsBetter: v.higherIsBetter } : {}),
  };
}

/**
 * The gates the environment configures: RECSYS_PROMOTION_GATES, a JSON object of placement → gate, with
 * `default` for the others, e.g. `{"default":{"metric":"ndcg@10","margin":0.01},"search":{"metric":"recall@20","margin":0.02}}`.
 * Unset: ndcg@10 and a 1 % margin everywhere.
 */
export function promotionGateConfig(env: NodeJS.ProcessEnv = process.env): PromotionGateConfig {
  const text = env.RECSYS_PROMOTION_GATES?.trim();
  if (!text) return DEFAULT_PROMOTION_GATE_CONFIG;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidConfig(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalidConfig('must be a JSON object');
  const entries = Object.entries(parsed as Record<string, unknown>);
  const defaultEntry = entries.find(([key]) => key === 'default');
  const base = defaultEntry
    ? parseGate('default', defaultEntry[1], DEFAULT_PROMOTION_GATE_CONFIG.default)
    : DEFAULT_PROMOTION_GATE_CONFIG.default;
  const placements: Record<string, PlacementGate> = {};
  for (const [placement, value] of entries) {
    if (placement !== 'default') placements[placement] = parseGate(placement, value, base);
  }
  return { default: base, placements };
}
