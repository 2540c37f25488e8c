/**
 * A recorded-protocol test: no MLflow server can be installed here, so a node:http server answers like
 * MLflow 2.x and records every request. The expected methods, paths, query strings and bodies are written
 * from the MLflow REST API 2.0 reference (service.proto / model_registry.proto, the artifact proxy's
 * `PUT /api/2.0/mlflow-artifacts/artifacts/<path>`), not from the client's output.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  MlflowClient,
  MlflowError,
  MlflowTracker,
  TrackingErrorCode,
  type MlflowClientOptions,
  type TrackedRun,
} from '../src';
import { FakeMlflowServer, type RecordedRequest } from './support/fake-mlflow-server';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const NOW_MS = 1772366400000;
const LATER = new Date('2026-03-01T12:05:00.000Z');
const LATER_MS = 1772366700000;

/** method, path and query or body of a recorded request, as the reference writes them. */
function call(r: RecordedRequest): {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
} {
  if (r.method === 'GET') return { method: r.method, path: r.path, query: r.query };
  return { method: r.method, path: r.path, body: r.body };
}

describe('MlflowTracker over the MLflow REST API', () => {
  const server = new FakeMlflowServer();
  let work: string;

  function tracker(options: Partial<MlflowClientOptions> = {}): MlflowTracker {
    const client = new MlflowClient({ trackingUri: `${server.url}/`, retryBaseDelayMs: 1, ...options });
    return new MlflowTracker({ client, now: () => NOW });
  }

  beforeAll(async () => {
    await server.start();
    work = await mkdtemp(path.join(os.tmpdir(), 'recsys-tracking-mlflow-'));
  });
  afterAll(async () => {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(() => server.reset());

  describe('startRun', () => {
    it('looks the experiment up by name, creates it on RESOURCE_DOES_NOT_EXIST, then creates the run', async () => {
      const t = tracker();
      const run = await t.startRun({ experiment: 'recsys-als', runName: 'als-1', tags: { model: 'als' } });
      expect(server.requests.map(call)).toEqual([
        {
          method: 'GET',
          path: '/api/2.0/mlflow/experiments/get-by-name',
          query: { experiment_name: 'recsys-als' },
        },
        { method: 'POST', path: '/api/2.0/mlflow/experiments/create', body: { name: 'recsys-als' } },
        {
          method: 'POST',
          path: '/api/2.0/mlflow/runs/create',
          body: {
            experiment_id: '1',
            run_name: 'als-1',
            start_time: NOW_MS,
            tags: [{ key: 'model', value: 'als' }],
          },
        },
      ]);
      expect(run.experimentId).toBe('1');
      expect(run.id).toMatch(/^[0-9a-f]{32}$/);
      for (const r of server.requests) {
        expect(r.headers.accept).toBe('application/json');
        expect(r.headers.authorization).toBeUndefined();
      }
      expect(server.requests[1].headers['content-type']).toBe('application/json');

      // The experiment id is remembered: the next run of the experiment is one request.
      server.reset();
      await t.startRun({ experiment: 'recsys-als' });
      expect(server.requests.map(call)).toEqual([
        {
          method: 'POST',
          path: '/api/2.0/mlflow/runs/create',
          body: { experiment_id: '1', start_time: NOW_MS, tags: [] },
        },
      ]);
    });

    it('uses an existing experiment, and reads back one a concurrent create won', async () => {
      await tracker().startRun({ experiment: 'existing' });
      server.reset();
      await tracker().startRun({ experiment: 'existing' });
      expect(server.requests.map((r) => r.path)).toEqual([
        '/api/2.0/mlflow/experiments/get-by-name',
        '/api/2.0/mlflow/runs/create',
      ]);

      server.reset();
      server.experiments.set('raced', { experiment_id: '77', name: 'raced', lifecycle_stage: 'active' });
      server.failNext('GET', '/api/2.0/mlflow/experiments/get-by-name', {
        status: 404,
        body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'not found' },
      });
      const run = await tracker().startRun({ experiment: 'raced' });
      expect(run.experimentId).toBe('77');
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /api/2.0/mlflow/experiments/get-by-name',
        'POST /api/2.0/mlflow/experiments/create',
        'GET /api/2.0/mlflow/experiments/get-by-name',
        'POST /api/2.0/mlflow/runs/create',
      ]);
    });

    it('refuses a deleted experiment', async () => {
      server.experiments.set('gone', { experiment_id: '90', name: 'gone', lifecycle_stage: 'deleted' });
      await expect(tracker().startRun({ experiment: 'gone' })).rejects.toMatchObject({
        code: TrackingErrorCode.EXPERIMENT_DELETED,
      });
    });
  });

  describe('logging', () => {
    let run: TrackedRun;
    beforeAll(async () => {
      run = await tracker().startRun({ experiment: 'logging', runName: 'r' });
    });
    beforeEach(() => server.reset());

    it('sends parameters as strings in runs/log-batch', async () => {
      await run.logParams({ factors: 64, regularization: 0.01, use_bias: true, solver: 'cg' });
      expect(server.requests.map(call)).toEqual([
        {
          method: 'POST',
          path: '/api/2.0/mlflow/runs/log-batch',
          body: {
            run_id: run.id,
            metrics: [],
            params: [
              { key: 'factors', value: '64' },
              { key: 'regularization', value: '0.01' },
              { key: 'use_bias', value: 'true' },
              { key: 'solver', value: 'cg' },
            ],
            tags: [],
          },
        },
      ]);
    });

    it('sends metrics with step and millisecond timestamps, and tags', async () => {
      await run.logMetrics({ 'ndcg@10': 0.31, loss: 1.25 }, 3, LATER);
      await run.logMetrics({ loss: 1.5 });
      await run.setTags({ stage: 'eval' });
      expect(server.requests.map((r) => r.body)).toEqual([
        {
          run_id: run.id,
          metrics: [
            { key: 'ndcg@10', value: 0.31, timestamp: LATER_MS, step: 3 },
            { key: 'loss', value: 1.25, timestamp: LATER_MS, step: 3 },
          ],
          params: [],
          tags: [],
        },
        {
          run_id: run.id,
          metrics: [{ key: 'loss', value: 1.5, timestamp: NOW_MS, step: 0 }],
          params: [],
          tags: [],
        },
        { run_id: run.id, metrics: [], params: [], tags: [{ key: 'stage', value: 'eval' }] },
      ]);
    });

    it('splits large batches within MLflow limits (100 params, 1000 metrics per request)', async () => {
      const params: Record<string, number> = {};
      for (let i = 0; i < 250; i++) params[`p${String(i).padStart(3, '0')}`] = i;
      await run.logParams(params);
      const metrics: Record<string, number> = {};
      for (let i = 0; i < 2500; i++) metrics[`m${i}`] = i / 10;
      await run.logMetrics(metrics, 1);
      const bodies = server.requests.map((r) => r.body as { params: unknown[]; metrics: unknown[] });
      expect(server.requests.every((r) => r.path === '/api/2.0/mlflow/runs/log-batch')).toBe(true);
      expect(bodies.map((b) => [b.params.length, b.metrics.length])).toEqual([
        [100, 0],
        [100, 0],
        [50, 0],
        [0, 1000],
        [0, 1000],
        [0, 500],
      ]);
      expect(bodies[2].params[49]).toEqual({ key: 'p249', value: '249' });
      expect(bodies[5].metrics[499]).toEqual({ key: 'm2499', value: 249.9, timestamp: NOW_MS, step: 1 });
    });

    it('refuses values MLflow would refuse before sending anything', async () => {
      await expect(run.logParams({ long: 'x'.repeat(6001) })).rejects.toMatchObject({
        code: TrackingErrorCode.INVALID_INPUT,
      });
      await expect(run.logMetrics({ bad: Number.NaN })).rejects.toMatchObject({
        code: TrackingErrorCode.INVALID_INPUT,
      });
      await expect(run.logMetrics({ ok: 1 }, 1.5)).rejects.toMatchObject({
        code: TrackingErrorCode.INVALID_INPUT,
      });
      const client = new MlflowClient({ trackingUri: server.url });
      await expect(
        client.logBatch(run.id, { params: [{ key: 'long', value: 'x'.repeat(6001) }] }),
      ).rejects.toMatchObject({
        errorCode: 'INVALID_PARAMETER_VALUE',
        httpStatus: null,
      });
      expect(server.requests).toHaveLength(0);
      await run.logParams({ exactly: 'x'.repeat(6000) });
      expect(server.requests).toHaveLength(1);
    });

    it("surfaces MLflow's error for a changed parameter as an MlflowError, without retrying the 400", async () => {
      await run.logParams({ seed: 1 });
      server.reset();
      const failure = await run.logParams({ seed: 2 }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(MlflowError);
      expect(failure).toMatchObject({
        errorCode: 'INVALID_PARAMETER_VALUE',
        httpStatus: 400,
        message: expect.stringContaining("key='seed'"),
      });
      expect(server.requests).toHaveLength(1);
    });

    it('uploads artifact files through the mlflow-artifacts proxy under the run artifact root', async () => {
      const dir = path.join(work, 'model');
      await mkdir(path.join(dir, 'weights'), { recursive: true });
      await writeFile(path.join(dir, 'manifest.json'), '{"format":"als"}');
      await writeFile(path.join(dir, 'weights', 'item factors.bin'), Buffer.from([1, 2, 3, 4]));
      const logged = await run.logArtifacts(dir);
      expect(logged).toEqual({
        path: 'model',
        uri: `mlflow-artifacts:/${run.experimentId}/${run.id}/artifacts/model`,
        files: ['manifest.json', 'weights/item factors.bin'],
        sizeBytes: 20,
      });
      expect(server.requests.map((r) => [r.method, r.path, r.headers['content-type']])).toEqual([
        [
          'PUT',
          `/api/2.0/mlflow-artifacts/artifacts/${run.experimentId}/${run.id}/artifacts/model/manifest.json`,
          'application/octet-stream',
        ],
        [
          'PUT',
          `/api/2.0/mlflow-artifacts/artifacts/${run.experimentId}/${run.id}/artifacts/model/weights/item%20factors.bin`,
          'application/octet-stream',
        ],
      ]);
      expect(
        server.artifacts.get(`${run.experimentId}/${run.id}/artifacts/model/manifest.json`)?.toString(),
      ).toBe('{"format":"als"}');
      expect([
        ...(server.artifacts.get(`${run.experimentId}/${run.id}/artifacts/model/weights/item factors.bin`) ??
          []),
      ]).toEqual([1, 2, 3, 4]);

      server.reset();
      await run.logArtifacts(dir, 'best/model');
      expect(server.requests[0].path).toBe(
        `/api/2.0/mlflow-artifacts/artifacts/${run.experimentId}/${run.id}/artifacts/best/model/manifest.json`,
      );
    });

    it('refuses artifact roots that the server does not proxy', async () => {
      server.artifactRoot = 's3://bucket/{experiment}/{run}/artifacts';
      try {
        const s3Run = await tracker().startRun({ experiment: 'logging' });
        await expect(s3Run.logArtifacts(work, 'x')).rejects.toMatchObject({
          code: TrackingErrorCode.UNSUPPORTED_ARTIFACT_URI,
        });
      } finally {
        server.artifactRoot = 'mlflow-artifacts:/{experiment}/{run}/artifacts';
      }
    });

    it('ends the run with runs/update', async () => {
      const t = new MlflowTracker({
        client: new MlflowClient({ trackingUri: server.url }),
        now: () => LATER,
      });
      const other = await t.startRun({ experiment: 'logging' });
      server.reset();
      await other.end('FAILED');
      expect(server.requests.map(call)).toEqual([
        {
          method: 'POST',
          path: '/api/2.0/mlflow/runs/update',
          body: { run_id: other.id, status: 'FAILED', end_time: LATER_MS },
        },
      ]);
    });
  });

  describe('reading', () => {
    it('reads a run back with runs/get, and null for an unknown run', async () => {
      const t = tracker();
      const run = await t.startRun({ experiment: 'reading', runName: 'read-me', tags: { a: '1' } });
      await run.logParams({ k: 10 });
      await run.logMetrics({ loss: 2 }, 0);
      await run.logMetrics({ loss: 1 }, 1);
      await run.end();
      server.reset();
      const record = await t.getRun(run.id);
      expect(server.requests.map(call)).toEqual([
        { method: 'GET', path: '/api/2.0/mlflow/runs/get', query: { run_id: run.id } },
      ]);
      expect(record).toEqual({
        id: run.id,
        experimentId: run.experimentId,
        name: 'read-me',
        status: 'FINISHED',
        params: { k: '10' },
        tags: { a: '1' },
        metrics: { loss: 1 },
        startedAt: NOW,
        endedAt: NOW,
        artifactUri: `mlflow-artifacts:/${run.experimentId}/${run.id}/artifacts`,
      });
      expect(await t.getRun('0'.repeat(32))).toBeNull();
    });

    it('follows next_page_token through metrics/get-history and orders by step', async () => {
      const t = tracker();
      const run = await t.startRun({ experiment: 'reading' });
      await run.logMetrics({ loss: 0.5 }, 2, LATER);
      await run.logMetrics({ loss: 0.9 }, 0);
      await run.logMetrics({ loss: 0.7 }, 1);
      server.reset();
      const history = await t.metricHistory(run.id, 'loss');
      expect(server.requests.map(call)).toEqual([
        {
          method: 'GET',
          path: '/api/2.0/mlflow/metrics/get-history',
          query: { run_id: run.id, metric_key: 'loss' },
        },
        {
          method: 'GET',
          path: '/api/2.0/mlflow/metrics/get-history',
          query: { run_id: run.id, metric_key: 'loss', page_token: '2' },
        },
      ]);
      expect(history).toEqual([
        { key: 'loss', value: 0.9, step: 0, timestamp: NOW },
        { key: 'loss', value: 0.7, step: 1, timestamp: NOW },
        { key: 'loss', value: 0.5, step: 2, timestamp: LATER },
      ]);
    });

    it('lists an experiment with runs/search, and nothing for an unknown experiment', async () => {
      const t = tracker();
      const a = await t.startRun({ experiment: 'listing', runName: 'a' });
      const later = new MlflowTracker({
        client: new MlflowClient({ trackingUri: server.url }),
        now: () => LATER,
      });
      const b = await later.startRun({ experiment: 'listing', runName: 'b' });
      server.reset();
      const runs = await t.listRuns('listing');
      expect(server.requests.map(call)).toEqual([
        {
          method: 'GET',
          path: '/api/2.0/mlflow/experiments/get-by-name',
          query: { experiment_name: 'listing' },
        },
        {
          method: 'POST',
          path: '/api/2.0/mlflow/runs/search',
          body: {
            experiment_ids: [a.experimentId],
            max_results: 1000,
            order_by: ['attributes.start_time DESC'],
          },
        },
      ]);
      expect(runs.map((r) => [r.id, r.name])).toEqual([
        [b.id, 'b'],
        [a.id, 'a'],
      ]);
      expect(await t.listRuns('no-such-experiment')).toEqual([]);
    });
  });

  describe('model registry', () => {
    it('creates the registered model once, then versions, then sets an alias', async () => {
      const t = tracker();
      const run = await t.startRun({ experiment: 'registry' });
      server.reset();
      const source = `mlflow-artifacts:/${run.experimentId}/${run.id}/artifacts/model`;
      expect(await t.registerModelVersion('recsys-als', run.id, source)).toEqual({
        supported: true,
        name: 'recsys-als',
        version: '1',
      });
      expect(await t.registerModelVersion('recsys-als', run.id, source)).toEqual({
        supported: true,
        name: 'recsys-als',
        version: '2',
      });
      expect(await t.setAlias('recsys-als', 'champion', '2')).toEqual({
        supported: true,
        name: 'recsys-als',
        alias: 'champion',
        version: '2',
      });
      expect(server.requests.map(call)).toEqual([
        { method: 'POST', path: '/api/2.0/mlflow/registered-models/create', body: { name: 'recsys-als' } },
        {
          method: 'POST',
          path: '/api/2.0/mlflow/model-versions/create',
          body: { name: 'recsys-als', source, run_id: run.id },
        },
        { method: 'POST', path: '/api/2.0/mlflow/registered-models/create', body: { name: 'recsys-als' } },
        {
          method: 'POST',
          path: '/api/2.0/mlflow/model-versions/create',
          body: { name: 'recsys-als', source, run_id: run.id },
        },
        {
          method: 'POST',
          path: '/api/2.0/mlflow/registered-models/alias',
          body: { name: 'recsys-als', alias: 'champion', version: '2' },
        },
      ]);
      expect(server.requests[1].query).toEqual({});
      expect(server.registeredModels.get('recsys-als')?.aliases).toEqual({ champion: '2' });
    });
  });

  describe('retries and errors', () => {
    it('retries a 503, then succeeds', async () => {
      const t = tracker();
      const run = await t.startRun({ experiment: 'retries' });
      server.reset();
      server.failNext('GET', '/api/2.0/mlflow/runs/get', {
        status: 503,
        body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'try later' },
      });
      expect((await t.getRun(run.id))?.id).toBe(run.id);
      expect(server.requests.map((r) => r.path)).toEqual([
        '/api/2.0/mlflow/runs/get',
        '/api/2.0/mlflow/runs/get',
      ]);
    });

    it('retries a 429 honouring Retry-After, and a POST the same way', async () => {
      const t = tracker();
      const run = await t.startRun({ experiment: 'retries' });
      server.reset();
      server.failNext('POST', '/api/2.0/mlflow/runs/log-batch', {
        status: 429,
        body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' },
        headers: { 'Retry-After': '0' },
      });
      await run.logMetrics({ x: 1 });
      expect(server.requests.map((r) => r.body)).toEqual([
        {
          run_id: run.id,
          metrics: [{ key: 'x', value: 1, timestamp: NOW_MS, step: 0 }],
          params: [],
          tags: [],
        },
        {
          run_id: run.id,
          metrics: [{ key: 'x', value: 1, timestamp: NOW_MS, step: 0 }],
          params: [],
          tags: [],
        },
      ]);
    });

    it('gives up after maxAttempts with the last MLflow error and its status', async () => {
      const t = tracker({ maxAttempts: 3 });
      const unavailable = { status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'down' } };
      server.failNext('GET', '/api/2.0/mlflow/runs/get', unavailable, unavailable, unavailable, unavailable);
      const failure = await t.getRun('f'.repeat(32)).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(MlflowError);
      expect(failure).toMatchObject({
        errorCode: 'TEMPORARILY_UNAVAILABLE',
        message: 'down',
        httpStatus: 503,
      });
      expect(server.requests).toHaveLength(3);
    });

    it('never retries a 4xx other than 429, and keeps non-MLflow bodies readable', async () => {
      const client = new MlflowClient({ trackingUri: server.url, retryBaseDelayMs: 1 });
      server.failNext('GET', '/api/2.0/mlflow/runs/get', { status: 403, body: 'Forbidden' });
      const failure = await client.getRun('a'.repeat(32)).catch((e: unknown) => e);
      expect(failure).toMatchObject({ errorCode: 'HTTP_403', httpStatus: 403 });
      expect(server.requests).toHaveLength(1);
    });

    it('reports a server that cannot be reached as NETWORK_ERROR after the retries', async () => {
      const client = new MlflowClient({
        trackingUri: 'http://127.0.0.1:9',
        maxAttempts: 2,
        retryBaseDelayMs: 1,
      });
      await expect(client.getRun('a'.repeat(32))).rejects.toMatchObject({
        errorCode: 'NETWORK_ERROR',
        httpStatus: null,
      });
    });
  });

  describe('authentication', () => {
    it('sends MLFLOW_TRACKING_TOKEN as a Bearer token', async () => {
      await new MlflowClient({ trackingUri: server.url, token: 'tok-123' }).getExperimentByName('x');
      expect(server.requests[0].headers.authorization).toBe('Bearer tok-123');
    });

    it('sends username and password as HTTP Basic, which wins over a token', async () => {
      await new MlflowClient({
        trackingUri: server.url,
        username: 'alice',
        password: 's3cret',
        token: 'ignored',
      }).getExperimentByName('x');
      expect(server.requests[0].headers.authorization).toBe('Basic YWxpY2U6czNjcmV0');
    });

    it('keeps a path prefix of the tracking URI', async () => {
      const client = new MlflowClient({ trackingUri: `${server.url}/mlflow/` });
      await client.getExperimentByName('x').catch(() => undefined);
      expect(server.requests[0].path).toBe('/mlflow/api/2.0/mlflow/experiments/get-by-name');
    });
  });
});
