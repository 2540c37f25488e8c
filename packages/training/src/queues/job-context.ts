import type { ModelRegistry } from '@recsys/registry';
import type { ExperimentTracker } from '@recsys/tracking';
import type { JobProgress } from './contract';
import type { DatasetCache } from './dataset-cache';

/** What the job functions need from the process that runs them (the worker wires these once). */
export interface JobDeps {
  registry: ModelRegistry;
  tracker: ExperimentTracker;
  datasets: DatasetCache;
  /** A folder for temporary artifacts and fetched copies (created on demand). */
  workDir: string;
  /** This worker, as results and tracked runs name it (host:pid by default). */
  workerId: string;
}

/** One attempt of one job, as the job functions see it: no BullMQ in sight. */
export interface JobRun {
  /** The job's stable id across attempts (`sourceJobIdOf`): the registry's idempotency key. */
  sourceJobId: string;
  /** Publishes where the job is (the worker throttles and forwards it to `job.updateProgress`). */
  progress(progress: JobProgress): void;
  /** Aborted when the worker gives the job up (forced shutdown, cancellation). */
  signal?: AbortSignal;
}
