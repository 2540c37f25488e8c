import type { Prisma } from '@recsys/db';
import type { Experiment, ExperimentMetric, ExperimentStatus, Variant } from '../contract';

/** An Experiment row with its variants, as the store reads it. */
export type ExperimentRow = Prisma.ExperimentGetPayload<{ include: { variants: true } }>;
type VariantRow = ExperimentRow['variants'][number];

/** Reads always include the variants in definition order. */
export const WITH_VARIANTS = { variants: { orderBy: { position: 'asc' } } } as const;

const STATUS_OF: Record<ExperimentRow['status'], ExperimentStatus> = {
  DRAFT: 'draft',
  RUNNING: 'running',
  STOPPED: 'stopped',
};

function toVariant(row: VariantRow): Variant {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    share: row.share,
    modelVersionId: row.modelVersionId,
    policy: row.policy,
    shadow: row.shadow,
    canary: row.canary,
  };
}

/** Metrics are validated on the way in; the columns are plain text. */
export function toExperiment(row: ExperimentRow): Experiment {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    placement: row.placement,
    status: STATUS_OF[row.status],
    startAt: row.startAt,
    endAt: row.endAt,
    primaryMetric: row.primaryMetric as ExperimentMetric,
    guardrailMetrics: row.guardrailMetrics as ExperimentMetric[],
    minSampleSize: row.minSampleSize,
    alpha: row.alpha,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    startedAt: row.startedAt,
    startedBy: row.startedBy,
    stoppedAt: row.stoppedAt,
    stoppedBy: row.stoppedBy,
    variants: [...row.variants].sort((a, b) => a.position - b.position).map(toVariant),
  };
}
