import { ModelError, ModelErrorCode } from '@recsys/models';
import { RegistryError, RegistryErrorCode } from '@recsys/registry';
import { TuningError, TuningErrorCode } from '../tuning/errors';

/**
 * Public error codes of the queue jobs. The worker branches on them (and on the codes of the layers
 * below, see `isPermanentFailure`), never on message text.
 */
export const JobErrorCode = {
  /** The payload does not match the queue contract: fails at once, no retry. */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** A search ended without one COMPLETE trial: nothing to train, and retrying changes nothing. */
  NO_COMPLETED_TRIAL: 'NO_COMPLETED_TRIAL',
  /** The dataset has no interactions in the database (it may be imported later: retried). */
  DATASET_EMPTY: 'DATASET_EMPTY',
  /** A producer could not reach the queue's Redis (in time): the job was not queued. */
  QUEUE_UNAVAILABLE: 'QUEUE_UNAVAILABLE',
} as const;
export type JobErrorCode = (typeof JobErrorCode)[keyof typeof JobErrorCode];

/** One bad field of a payload: its path (`['params']`, `['protocolOptions', 'k']`) and the problem. */
export interface PayloadIssue {
  path: readonly string[];
  message: string;
}

export class JobError extends Error {
  /** INVALID_PAYLOAD: every bad field, for producers that name them to their own callers; else empty. */
  readonly issues: readonly PayloadIssue[];

  constructor(
    readonly code: JobErrorCode,
    message: string,
    /** Whether another attempt could succeed. */
    readonly retryable: boolean,
    options?: { cause?: unknown; issues?: readonly PayloadIssue[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JobError';
    this.issues = options?.issues ?? [];
  }
}

export function invalidPayload(message: string, issues: readonly PayloadIssue[] = []): JobError {
  return new JobError(JobErrorCode.INVALID_PAYLOAD, message, false, { issues });
}

export function queueUnavailable(message: string, cause?: unknown): JobError {
  return new JobError(JobErrorCode.QUEUE_UNAVAILABLE, message, true, { cause });
}

/**
 * Whether a job's error is one no retry can fix, so the worker fails the job at once (BullMQ's
 * UnrecoverableError): a malformed payload, parameters or search spaces a model rejects, registry
 * input it cannot store. Everything else (a database or Redis hiccup, a crash) is retried.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof JobError) return !error.retryable;
  if (error instanceof ModelError) return error.code === ModelErrorCode.INVALID_PARAMS;
  if (error instanceof TuningError) {
    return (
      error.code === TuningErrorCode.INVALID_SEARCH_SPACE || error.code === TuningErrorCode.INVALID_OPTIONS
    );
  }
  if (error instanceof RegistryError) {
    return (
      error.code === RegistryErrorCode.INVALID_INPUT || error.code === RegistryErrorCode.VERSION_NOT_FOUND
    );
  }
  return false;
}
