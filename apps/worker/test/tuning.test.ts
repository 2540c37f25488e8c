import { JobName, QueueName, type TuneJobResult } from '@recsys/training';
import { eventually, Harness } from './support/harness';

describe('distributed hyper-parameter search', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.create();
  });

  afterAll(async () => {
    await h.close();
  });

  it('spreads the trials of a tune job over two worker processes and registers the best configuration', async () => {
    const workers = [1, 2].map((n) =>
      h.spawnWorker({ WORKER_QUEUES: 'tuning', WORKER_ID: `tuner-${n}`, LOG_LEVEL: 'info' }),
    );
    for (const { output } of workers) {
      await eventually(
        async () => (output.join('').includes('"worker started"') ? true : undefined),
        30_000,
        'start',
      );
    }
    const job = await h.add(QueueName.TUNING, JobName.TUNE, {
      modelType: 'item-knn',
      datasetId: 'ml-100k',
      trials: 6,
      parallel: 2,
      sampler: { type: 'random', seed: 3 },
      space: {
        neighbors: { type: 'int', low: 10, high: 200, log: true },
        shrink: { type: 'uniform', low: 0, high: 100 },
      },
      placement: 'tuned',
    });
    const result = (await h.waitFor(job, QueueName.TUNING, 150_000)) as TuneJobResult;

    expect(result.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    const values = result.trials.map((t) => t.value ?? -1);
    expect(result.best.value).toBe(Math.max(...values));
    expect(result.objective).toEqual({ metric: 'ndcg@10', direction: 'maximize' });
    // Both processes ran trials.
    const pids = new Set(result.ranBy.map((r) => r.pid));
    expect(pids).toEqual(new Set(workers.map((w) => w.child.pid)));
    expect(new Set(result.ranBy.map((r) => r.workerId))).toEqual(new Set(['tuner-1', 'tuner-2']));

    // The best configuration, trained on all the data, registered once under the search's job.
    const versions = await h.registry.list({ placement: 'tuned' });
    expect(versions).toHaveLength(1);
    expect(versions[0].id).toBe(result.model.versionId);
    expect(versions[0].params).toMatchObject(result.best.params);
    expect(versions[0].sourceJobId).toMatch(new RegExp(`^${h.prefix}:tuning:${job.id}@`));
    expect(versions[0].metrics['ndcg@10']).toBeCloseTo(result.best.value ?? 0, 6);
  });
});
