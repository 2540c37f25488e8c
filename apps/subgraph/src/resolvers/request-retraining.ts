import type { TrainingJobEnqueuer, TrainingJobRequest } from '@recsys/training';
import { assertAdmin } from '../auth/authorize';
import { serviceUnavailable } from '../errors/codes';
import { toRetrainingError } from '../errors/job-errors';
import type { RequestRetrainingArgs, RequestRetrainingInput } from '../schema/inputs';
import type { FieldResolver } from './types';

/** What Mutation.requestRetraining needs besides the caller. */
export interface RetrainingDeps {
  /** Queues the jobs; null when this subgraph has no training queue (the mutation is unavailable). */
  producer: TrainingJobEnqueuer | null;
  /** The datasetId of a request that names none: the dataset this subgraph serves. */
  defaultDatasetId: string;
}

export interface RetrainingRequest {
  jobId: string;
  queue: string;
  requestedBy: string;
  requestedAt: Date;
}

/** The job's payload as the contract takes it: the admin is the actor; absent fields keep its defaults. */
export function trainingRequest(
  input: RequestRetrainingInput,
  actor: string,
  defaultDatasetId: string,
): TrainingJobRequest {
  const request: TrainingJobRequest = {
    modelType: input.modelType,
    datasetId: input.datasetId ?? defaultDatasetId,
    actor,
  };
  if (input.placement != null) request.placement = input.placement;
  if (input.params != null) request.params = input.params;
  if (input.protocol != null) request.protocol = input.protocol;
  return request;
}

/**
 * ADMIN only (FORBIDDEN for anyone else, before the input is looked at). The payload is validated by the
 * training contract (BAD_USER_INPUT naming the fields) and queued on `training`; Redis that cannot be
 * reached gives SERVICE_UNAVAILABLE.
 */
export function requestRetrainingResolver(
  deps: RetrainingDeps,
): FieldResolver<unknown, RequestRetrainingArgs, RetrainingRequest> {
  return async (_root, { input }, { caller, log }) => {
    const adminId = assertAdmin(caller, 'Requesting retraining');
    if (deps.producer === null) {
      throw serviceUnavailable('Retraining is not available: this subgraph has no training queue configured');
    }
    const requestedAt = new Date();
    try {
      const job = await deps.producer.enqueueTraining(trainingRequest(input, adminId, deps.defaultDatasetId));
      log.info(
        { jobId: job.jobId, queue: job.queue, modelType: input.modelType, requestedBy: adminId },
        'retraining requested',
      );
      return { jobId: job.jobId, queue: job.queue, requestedBy: adminId, requestedAt };
    } catch (error) {
      throw toRetrainingError(error);
    }
  };
}
