import { Queue, QueueEvents, Worker } from 'bullmq';
import { roundTo, type BenchResult } from '@recsys/benchmarking';
import { benchPrefix, percentile, redisConnection } from './support';

/**
 * What the queue itself costs a job: no-op jobs through BullMQ on the local Redis. Round trip = add →
 * a worker runs the no-op → the producer hears 'completed' (QueueEvents), one job at a time; throughput
 * = 1000 jobs added in bulk, drained by one worker (concurrency 1).
 */
export async function queueOverheadBench(): Promise<BenchResult> {
  const prefix = benchPrefix('noop');
  const connection = redisConnection();
  const queue = new Queue('noop', { connection, prefix });
  const events = new QueueEvents('noop', { connection, prefix });
  const worker = new Worker('noop', async () => 'ok', { connection, prefix, concurrency: 1 });
  await Promise.all([events.waitUntilReady(), worker.waitUntilReady()]);
  try {
    const latencies: number[] = [];
    for (let i = 0; i < 220; i++) {
      const t0 = performance.now();
      const job = await queue.add('noop', { i });
      await job.waitUntilFinished(events);
      if (i >= 20) latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const drained = new Promise<void>((resolve) => {
      let done = 0;
      worker.on('completed', () => {
        if (++done === 1000) resolve();
      });
    });
    const t0 = performance.now();
    await queue.addBulk(Array.from({ length: 1000 }, (_, i) => ({ name: 'noop', data: { i } })));
    await drained;
    const seconds = (performance.now() - t0) / 1000;
    return {
      roundTripMsMean: roundTo(latencies.reduce((a, b) => a + b, 0) / latencies.length, 2),
      roundTripMsP50: roundTo(percentile(latencies, 0.5), 2),
      roundTripMsP95: roundTo(percentile(latencies, 0.95), 2),
      jobsPerSecondOneWorker: roundTo(1000 / seconds, 0),
    };
  } finally {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}
