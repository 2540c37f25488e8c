import { JobName, parsePayload, runTrainingJob, sourceJobIdOf, type JobDeps } from '@recsys/training';
import type { Logger } from '../logger';
import { progressPublisher } from '../progress-publisher';
import type { JobProcessor } from './processor';

/**
 * `train` jobs (queues training and training-gpu): validate, then `runTrainingJob`. A deep model trains
 * on the process's TF.js backend (the best present, or TFJS_BACKEND; on a GPU node the GPU's), with
 * the batch size of its `batchSize` parameter or its default for that backend; both are logged here
 * and recorded with the tracked run (`runtime.backend`, `runtime.batchSize`) and the job's result.
 */
export function trainingProcessor(deps: JobDeps, progressIntervalMs: number, logger: Logger): JobProcessor {
  return async (job, _token, signal) => {
    const payload = parsePayload(JobName.TRAIN, job.data);
    const progress = progressPublisher(job, progressIntervalMs, logger);
    try {
      const result = await runTrainingJob(payload, deps, {
        sourceJobId: sourceJobIdOf(job),
        progress: progress.publish,
        signal,
      });
      logger.info(
        {
          queue: job.queueName,
          jobId: job.id,
          modelType: result.modelType,
          versionId: result.versionId,
          backend: result.backend,
          ...(result.batchSize !== undefined ? { batchSize: result.batchSize } : {}),
          reused: result.reused,
        },
        'training job done',
      );
      return result;
    } finally {
      await progress.flush();
    }
  };
}
