import { JobName, parsePayload, runTrainingJob, sourceJobIdOf, type JobDeps } from '@recsys/training';
import type { Logger } from '../logger';
import { progressPublisher } from '../progress-publisher';
import type { JobProcessor } from './processor';

/** `train` jobs (queues training and training-gpu): validate, then `runTrainingJob`. */
export function trainingProcessor(deps: JobDeps, progressIntervalMs: number, logger: Logger): JobProcessor {
  return async (job, _token, signal) => {
    const payload = parsePayload(JobName.TRAIN, job.data);
    const progress = progressPublisher(job, progressIntervalMs, logger);
    try {
      return await runTrainingJob(payload, deps, {
        sourceJobId: sourceJobIdOf(job),
        progress: progress.publish,
        signal,
      });
    } finally {
      await progress.flush();
    }
  };
}
