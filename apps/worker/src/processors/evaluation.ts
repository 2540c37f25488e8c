import { JobName, parsePayload, runEvaluationJob, sourceJobIdOf, type JobDeps } from '@recsys/training';
import type { Logger } from '../logger';
import { progressPublisher } from '../progress-publisher';
import type { JobProcessor } from './processor';

/** `evaluate` jobs: validate, then `runEvaluationJob`. */
export function evaluationProcessor(deps: JobDeps, progressIntervalMs: number, logger: Logger): JobProcessor {
  return async (job, _token, signal) => {
    const payload = parsePayload(JobName.EVALUATE, job.data);
    const progress = progressPublisher(job, progressIntervalMs, logger);
    try {
      return await runEvaluationJob(payload, deps, {
        sourceJobId: sourceJobIdOf(job),
        progress: progress.publish,
        signal,
      });
    } finally {
      await progress.flush();
    }
  };
}
