import type { Assignment, ExperimentService, ExposureInput, Variant } from '@recsys/experiments';
import type {
  InferenceEngine,
  RecommendationList,
  RecommendRequest,
  ServingTreatment,
} from '@recsys/serving';
import type { Logger } from '../ops/logger';

/** The part of the experiments the request path uses. */
export type ExperimentServing = Pick<ExperimentService, 'assign' | 'logExposure' | 'logWhenReady'>;

/** The placement the engine serves when the request names none. */
const DEFAULT_PLACEMENT = 'home';

/** What the engine is asked to serve for a variant: its model version, or its policy. */
export function treatmentOf(variant: Variant): ServingTreatment {
  return variant.modelVersionId !== null
    ? { modelVersionId: variant.modelVersionId }
    : { policy: variant.policy ?? 'production' };
}

/**
 * The exposure of `list` for `variant`. The engine's rankings are deterministic, so each item's
 * propensity under the variant's policy is 1; the randomisation is the assignment, whose probability is
 * the variant's share. Shadow lists carry the shown list's requestId: their outcomes are its outcomes.
 */
function exposureOf(
  assignment: Assignment,
  variant: Variant,
  list: RecommendationList,
  request: RecommendRequest,
  shownRequestId: string,
): ExposureInput {
  return {
    experimentId: assignment.experiment.id,
    variantId: variant.id,
    userId: request.userId,
    requestId: shownRequestId,
    placement: request.context?.placement ?? DEFAULT_PLACEMENT,
    modelVersionId: variant.modelVersionId,
    modelVersion: list.modelVersion,
    shown: !variant.shadow,
    assignmentProbability: variant.share,
    items: list.items.map((item) => ({
      serviceId: item.serviceId,
      position: item.rank,
      score: item.score,
      propensity: 1,
    })),
    servedAt: list.generatedAt,
  };
}

/** The user's assignment on the request's placement; null when none applies or it cannot be read. */
async function assignmentFor(
  experiments: ExperimentServing,
  request: RecommendRequest,
  log: Logger,
): Promise<Assignment | null> {
  try {
    return await experiments.assign(request.context?.placement ?? DEFAULT_PLACEMENT, request.userId);
  } catch (error) {
    log.warn({ err: error }, 'experiment assignment failed; serving without an experiment');
    return null;
  }
}

/**
 * A recommendation list under the experiment running on the request's placement, if one applies: the
 * user's variant (a stable hash of the user id with the experiment's name) is asked of the engine, the
 * list names it in `experimentVariant`, and its exposure is logged (batched, off the request path). Each
 * shadow variant mirroring the user is scored in the background and logged as not shown. Experiments
 * never fail a request: an assignment or logging failure is logged and the list is served as usual.
 */
export async function recommendWithExperiments(
  engine: InferenceEngine,
  experiments: ExperimentServing | null,
  request: RecommendRequest,
  log: Logger,
): Promise<RecommendationList> {
  if (experiments === null) return engine.recommend(request);
  const assignment = await assignmentFor(experiments, request, log);
  if (assignment === null) return engine.recommend(request);

  const served = await engine.recommend({ ...request, treatment: treatmentOf(assignment.variant) });
  const list: RecommendationList = { ...served, experimentVariant: assignment.variant.name };
  try {
    experiments.logExposure(exposureOf(assignment, assignment.variant, list, request, list.requestId));
  } catch (error) {
    log.warn({ err: error, requestId: list.requestId }, 'exposure not logged');
  }
  for (const shadow of assignment.shadows) {
    const scoring = engine.recommend({ ...request, treatment: treatmentOf(shadow) });
    experiments.logWhenReady(
      scoring.then((scored) => exposureOf(assignment, shadow, scored, request, list.requestId)),
    );
  }
  return list;
}
