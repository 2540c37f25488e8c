import { createModel } from '@recsys/models';
import {
  backendFor,
  collectBatch,
  JobErrorCode,
  objectiveDirection,
  parsePayload,
  proposeBatch,
  sourceJobIdOf,
  TunePayloadSchema,
  trialPayloads,
} from '@recsys/training';
import { consumedQueues, loadEnv } from '../src/env';

describe('the queue contract', () => {
  it('fills defaults of a training payload', () => {
    expect(parsePayload('train', { modelType: 'als', datasetId: 'ml-100k' })).toEqual({
      modelType: 'als',
      datasetId: 'ml-100k',
      protocol: 'holdout',
      actor: 'worker',
    });
  });

  it('names each bad field, and checks parameters against the model', () => {
    const parse = (data: unknown) => () => parsePayload('train', data);
    expect(parse({ datasetId: 'x' })).toThrow(/modelType: Invalid option/);
    expect(parse({ modelType: 'als', datasetId: 'x', params: { factors: 'many' } })).toThrow(
      /params: als: "factors"/,
    );
    expect(parse({ modelType: 'als', datasetId: 'x', protocol: 'predefined' })).toThrow(/protocol/);
    try {
      parsePayload('evaluate', { datasetId: 'x' });
      throw new Error('no error');
    } catch (error) {
      expect(error).toMatchObject({ code: JobErrorCode.INVALID_PAYLOAD, retryable: false });
      expect((error as Error).message).toContain('modelType: give exactly one of modelType and versionId');
    }
    expect(() => parsePayload('tune', { modelType: 'popularity', datasetId: 'x', trials: 2 })).toThrow(
      /modelType/,
    );
    expect(() =>
      parsePayload('tune', {
        modelType: 'als',
        datasetId: 'x',
        trials: 2,
        space: { depth: { type: 'int', low: 1, high: 3 } },
      }),
    ).toThrow(/space.depth: not a parameter of als/);
  });

  it('identifies a job across attempts, and apart from a job reusing its id after a Redis flush', () => {
    const job = { queueQualifiedName: 'recsys:training', id: '7', timestamp: 1000 };
    expect(sourceJobIdOf(job)).toBe('recsys:training:7@1000');
    expect(sourceJobIdOf({ ...job, timestamp: 2000 })).not.toBe(sourceJobIdOf(job));
  });

  it('proposes batches deterministically and collects failed trials as FAILED records', () => {
    const payload = TunePayloadSchema.parse({ modelType: 'ease', datasetId: 'x', trials: 5, parallel: 2 });
    const batch = proposeBatch(payload, []);
    expect(batch.map((p) => p.number)).toEqual([0, 1]);
    expect(proposeBatch(payload, [])).toEqual(batch);
    const [child] = trialPayloads(payload, 'tune-1', batch, []);
    expect(child).toMatchObject({
      tuneJobId: 'tune-1',
      number: 0,
      objective: { metric: 'ndcg@10', direction: 'maximize' },
    });
    const record = {
      number: 0,
      params: batch[0].params,
      value: 0.4,
      state: 'COMPLETE' as const,
      intermediate: [],
    };
    const collected = collectBatch(
      batch,
      {
        'p:tuning:1-trial-0': {
          record,
          workerId: 'w',
          pid: 1,
          seconds: 1,
          trackingRunId: null,
          backend: 'cpu',
        },
      },
      { 'p:tuning:1-trial-1': 'killed' },
    );
    expect(collected.records).toEqual([
      record,
      expect.objectContaining({ number: 1, state: 'FAILED', error: 'trial job failed: killed' }),
    ]);
    expect(collected.ranBy).toEqual([{ number: 0, workerId: 'w', pid: 1 }]);
    // The last batch is cut to the budget.
    const four = [0, 1, 2, 3].map((n) => ({ ...record, number: n }));
    expect(proposeBatch(payload, four).map((p) => p.number)).toEqual([4]);
  });

  it('minimises error metrics by default', () => {
    expect(objectiveDirection({ metric: 'rmse' })).toBe('minimize');
    expect(objectiveDirection({ metric: 'recall@20' })).toBe('maximize');
  });

  it('reports the cpu backend for a classical model and the TF.js backend for a deep one', async () => {
    expect(await backendFor(createModel('als'))).toBe('cpu');
    expect(await backendFor(createModel('neumf'))).toMatch(/^tfjs-(node-gpu|webgpu|node|wasm|cpu)$/);
  });
});

describe('the worker environment', () => {
  it('consumes training-gpu too on a GPU node', () => {
    expect(consumedQueues(loadEnv({}))).toEqual(['training', 'evaluation', 'tuning']);
    expect(consumedQueues(loadEnv({ WORKER_QUEUES: 'tuning', WORKER_GPU: 'true' }))).toEqual([
      'tuning',
      'training-gpu',
    ]);
  });

  it('names every bad variable', () => {
    expect(() => loadEnv({ WORKER_QUEUES: 'training,gpu', WORKER_CONCURRENCY: '0' })).toThrow(
      /WORKER_QUEUES: unknown queue "gpu".*WORKER_CONCURRENCY/,
    );
  });
});
