import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { roundTo, type BenchResult } from '@recsys/benchmarking';
import { DEFAULT_JOB_OPTIONS, JobName, QueueName, type TunePayloadInput } from '@recsys/training';
import {
  benchPrefix,
  movieLensDatabase,
  redisConnection,
  REDIS_URL,
  startWorkerProcess,
  stopWorkerProcess,
} from './support';

const TRIALS = 8;

/** ALS, small and single-threaded, on MovieLens 100K holdout: the trials every configuration runs. */
function search(trials: number, parallel: number): TunePayloadInput {
  return {
    modelType: 'als',
    datasetId: 'ml-100k',
    trials,
    parallel,
    sampler: { type: 'random', seed: 7 },
    space: {
      factors: { type: 'int', low: 16, high: 32 },
      regularization: { type: 'loguniform', low: 1, high: 100 },
      alpha: { type: 'loguniform', low: 0.5, high: 10 },
    },
    fixedParams: { iterations: 5 },
    placement: 'bench',
  };
}

/** Trials per minute from the first trial's start to the last trial's end (the final fit not counted). */
async function runSearch(
  queue: Queue,
  events: QueueEvents,
  trials: number,
  parallel: number,
): Promise<number> {
  const job = await queue.add(JobName.TUNE, search(trials, parallel), DEFAULT_JOB_OPTIONS);
  await job.waitUntilFinished(events, 600_000);
  const children = (await queue.getJobs(['completed'])).filter(
    (j) => j.name === JobName.TRIAL && j.parent?.id === job.id,
  );
  const start = Math.min(...children.map((j) => j.processedOn ?? Infinity));
  const end = Math.max(...children.map((j) => j.finishedOn ?? 0));
  return (children.length / (end - start)) * 60_000;
}

/**
 * Trials per minute of one search (8 ALS trials, 2 at a time) with one and with two worker processes
 * (each trial single-threaded: one process per core is how a node runs trials in parallel). Each run
 * starts with a warm-up search so every process has the dataset loaded.
 */
export async function tuningThroughputBench(): Promise<BenchResult> {
  const db = await movieLensDatabase();
  const work = await mkdtemp(path.join(os.tmpdir(), 'recsys-worker-bench-'));
  const result: BenchResult = {
    trials: TRIALS,
    model: 'als (16-32 factors, 5 iterations, threads 1)',
    protocol: 'holdout',
    cores: os.availableParallelism(),
    // Two processes can only be faster when the cores are free: the machine's load says whether they were.
    loadAverage1mBefore: roundTo(os.loadavg()[0], 2),
  };
  try {
    for (const processes of [1, 2]) {
      const prefix = benchPrefix(`tune${processes}`);
      const env = {
        DATABASE_URL: db.url,
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        WORKER_QUEUES: 'tuning',
        RECSYS_ARTIFACTS: path.join(work, 'artifacts'),
        WORKER_WORK_DIR: path.join(work, 'work'),
      };
      const workers = await Promise.all(Array.from({ length: processes }, () => startWorkerProcess(env)));
      const queue = new Queue(QueueName.TUNING, { connection: redisConnection(), prefix });
      const events = new QueueEvents(QueueName.TUNING, { connection: redisConnection(), prefix });
      await events.waitUntilReady();
      try {
        await runSearch(queue, events, processes, processes);
        result[`trialsPerMinute${processes === 1 ? 'OneWorker' : 'TwoWorkers'}`] = roundTo(
          await runSearch(queue, events, TRIALS, 2),
          1,
        );
      } finally {
        await Promise.all(workers.map(stopWorkerProcess));
        await events.close();
        await queue.obliterate({ force: true });
        await queue.close();
      }
    }
    const one = Number(result.trialsPerMinuteOneWorker);
    const two = Number(result.trialsPerMinuteTwoWorkers);
    result.speedup = roundTo(two / one, 2);
    result.loadAverage1mAfter = roundTo(os.loadavg()[0], 2);
    return result;
  } finally {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  }
}
