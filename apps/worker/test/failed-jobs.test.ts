import { DeadLetterEntrySchema, JobName, QueueName } from '@recsys/training';
import { eventually, Harness } from './support/harness';

describe('failed jobs', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.create();
    await h.startWorker();
  });

  afterAll(async () => {
    await h.close();
  });

  async function deadLetterOf(jobId: string | undefined) {
    return eventually(
      async () => {
        const entries = (await h.deadLetters()).map((j) => DeadLetterEntrySchema.parse(j.data));
        return entries.find((e) => e.jobId === jobId);
      },
      20_000,
      `dead letter of job ${jobId}`,
    );
  }

  it('fails a malformed payload once, without retries, naming every bad field', async () => {
    const job = await h.add(QueueName.TRAINING, JobName.TRAIN, {
      modelType: 'als',
      datasetId: 'no spaces allowed',
      params: { factorz: 8 },
      protocol: 'kfold',
    });
    await expect(h.waitFor(job, QueueName.TRAINING)).rejects.toThrow(/datasetId/);
    const failed = await h.queue(QueueName.TRAINING).getJob(job.id ?? '');
    expect(failed?.attemptsMade).toBe(1);
    expect(await failed?.getState()).toBe('failed');
    expect(failed?.failedReason).toMatch(/^job "train": /);
    expect(failed?.failedReason).toContain('datasetId: expected a dataset id');
    expect(failed?.failedReason).toContain('protocol: Invalid option');
    expect(failed?.failedReason).toContain('params: als: unknown parameter(s) "factorz"');
    expect(await deadLetterOf(job.id)).toMatchObject({
      queue: 'training',
      unrecoverable: true,
      attemptsMade: 1,
    });
  });

  it('fails a job name the queue does not take at once', async () => {
    const job = await h.add(QueueName.EVALUATION, 'train', { modelType: 'als', datasetId: 'ml-100k' });
    await expect(h.waitFor(job, QueueName.EVALUATION)).rejects.toThrow(
      'queue "evaluation" takes evaluate jobs, not "train"',
    );
    expect((await h.queue(QueueName.EVALUATION).getJob(job.id ?? ''))?.attemptsMade).toBe(1);
  });

  it('retries a failing job with back-off and dead-letters it once its attempts are spent', async () => {
    const job = await h.add(
      QueueName.TRAINING,
      JobName.TRAIN,
      { modelType: 'popularity', datasetId: 'not-imported' },
      { backoff: { type: 'exponential', delay: 50 } },
    );
    await expect(h.waitFor(job, QueueName.TRAINING)).rejects.toThrow(/no dataset "not-imported"/);
    const failed = await h.queue(QueueName.TRAINING).getJob(job.id ?? '');
    expect(failed?.attemptsMade).toBe(3);
    const entry = await deadLetterOf(job.id);
    expect(entry).toMatchObject({
      queue: 'training',
      name: 'train',
      attemptsMade: 3,
      unrecoverable: false,
      data: { modelType: 'popularity', datasetId: 'not-imported' },
    });
    expect(entry.failedReason).toContain('not-imported');
    // Exactly one copy, however many attempts failed.
    expect(
      (await h.deadLetters()).filter((j) => DeadLetterEntrySchema.parse(j.data).jobId === job.id),
    ).toHaveLength(1);
  });
});
