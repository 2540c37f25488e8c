import { WaitingChildrenError, type FlowProducer, type Job } from 'bullmq';
import {
  collectBatch,
  DEFAULT_JOB_OPTIONS,
  finishTuning,
  initialTuneState,
  JobName,
  parsePayload,
  proposeBatch,
  QueueName,
  runTrial,
  sourceJobIdOf,
  trialJobSuffix,
  trialPayloads,
  tuneProgress,
  type JobDeps,
  type TunePayload,
  type TuneState,
} from '@recsys/training';
import type { Logger } from '../logger';
import { progressPublisher } from '../progress-publisher';
import type { JobProcessor } from './processor';

async function saveState(job: Job, state: TuneState): Promise<void> {
  await job.updateData({ ...(job.data as object), state });
}

/**
 * `tune` parents. A loop over the state kept in the job's own data: propose a batch of trials with the
 * sampler and add them as child jobs of this job (FlowProducer, deterministic child ids, so a re-run
 * after a crash adds nothing twice); wait for them (BullMQ moves the parent to waiting-children and
 * processes it again once they are done); collect their records; repeat until the budget is spent;
 * then train and register the best configuration. Trials go to the tuning queue, so every worker on
 * every node takes them.
 */
export function tuneProcessor(
  deps: JobDeps,
  flow: FlowProducer,
  progressIntervalMs: number,
  logger: Logger,
): JobProcessor {
  return async (job, token, signal) => {
    const payload: TunePayload = parsePayload(JobName.TUNE, job.data);
    if (job.id === undefined || token === undefined)
      throw new Error('a tune job needs an id and a lock token');
    const sourceJobId = sourceJobIdOf(job);
    const progress = progressPublisher(job, progressIntervalMs, logger);
    let state = payload.state ?? initialTuneState();
    try {
      for (;;) {
        switch (state.phase) {
          case 'propose': {
            if (state.finished.length >= payload.trials) {
              state = { ...state, phase: 'final', batch: [] };
              await saveState(job, state);
              break;
            }
            const proposals = proposeBatch(payload, state.finished);
            const children = trialPayloads(payload, sourceJobId, proposals, state.finished);
            await flow.addBulk(
              children.map((data) => ({
                name: JobName.TRIAL,
                queueName: QueueName.TUNING,
                data,
                opts: {
                  ...DEFAULT_JOB_OPTIONS,
                  jobId: `${job.id}${trialJobSuffix(data.number)}`,
                  parent: { id: job.id ?? '', queue: job.queueQualifiedName },
                  ignoreDependencyOnFailure: true,
                },
              })),
            );
            state = { ...state, phase: 'waiting', batch: proposals };
            await saveState(job, state);
            break;
          }
          case 'waiting': {
            if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
            const collected = collectBatch(
              state.batch,
              await job.getChildrenValues(),
              await job.getIgnoredChildrenFailures(),
            );
            state = {
              phase: 'propose',
              batch: [],
              finished: [...state.finished, ...collected.records],
              ranBy: [...state.ranBy, ...collected.ranBy],
            };
            await saveState(job, state);
            progress.publish(tuneProgress(payload, state));
            break;
          }
          case 'final':
            return await finishTuning(payload, state, deps, {
              sourceJobId,
              progress: progress.publish,
              signal,
            });
        }
      }
    } finally {
      await progress.flush();
    }
  };
}

/** `trial` children: one configuration evaluated, its record returned to the parent. */
export function trialProcessor(deps: JobDeps, progressIntervalMs: number, logger: Logger): JobProcessor {
  return async (job, _token, signal) => {
    const payload = parsePayload(JobName.TRIAL, job.data);
    const progress = progressPublisher(job, progressIntervalMs, logger);
    try {
      return await runTrial(payload, deps, {
        sourceJobId: sourceJobIdOf(job),
        progress: progress.publish,
        signal,
      });
    } finally {
      await progress.flush();
    }
  };
}
