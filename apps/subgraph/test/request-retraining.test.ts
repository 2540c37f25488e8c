import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  DEFAULT_JOB_OPTIONS,
  JobError,
  JobErrorCode,
  JobName,
  parsePayload,
  QueueName,
  TrainingJobProducer,
} from '@recsys/training';
import { errorCodes, graphql, type GraphQLResponse } from './support/graphql-client';
import { idleEngine } from './support/idle-engine';
import { SERVICE_TOKEN, startSubgraph, type RunningSubgraph } from './support/start-subgraph';

/*
 * Mutation.requestRetraining against real Redis: the queues live under a prefix of their own, and every
 * job this file queues is read back with BullMQ, as the worker would take it. The engine is never asked
 * (an idle one stands in for it).
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `test-subgraph-retraining-${randomUUID()}`;
const DATASET = 'ml-100k';

let redis: Redis;
let producer: TrainingJobProducer;
let subgraph: RunningSubgraph;
let training: Queue;
let trainingGpu: Queue;

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  producer = new TrainingJobProducer({ connection: redis, prefix: PREFIX });
  subgraph = await startSubgraph(idleEngine(), { trainingJobs: producer, datasetId: DATASET });
  training = new Queue(QueueName.TRAINING, { connection: redis, prefix: PREFIX });
  trainingGpu = new Queue(QueueName.TRAINING_GPU, { connection: redis, prefix: PREFIX });
});

afterAll(async () => {
  await subgraph?.server.stop();
  await producer?.close();
  for (const queue of [training, trainingGpu]) {
    await queue?.obliterate({ force: true });
    await queue?.close();
  }
  await redis?.quit();
});

const REQUEST_RETRAINING = `
  mutation Retrain($input: RequestRetrainingInput!) {
    requestRetraining(input: $input) { jobId queue requestedBy requestedAt }
  }`;

interface RetrainingRequest {
  jobId: string;
  queue: string;
  requestedBy: string;
  requestedAt: string;
}
type RetrainingResponse = GraphQLResponse<{ requestRetraining: RetrainingRequest } | null>;

const ADMIN = { 'x-user-id': 'admin-7', 'x-user-role': 'ADMIN' };

function requestRetraining(
  input: Record<string, unknown>,
  headers: Record<string, string> = ADMIN,
  url: string = subgraph.url,
): Promise<RetrainingResponse> {
  return graphql(url, REQUEST_RETRAINING, { variables: { input }, headers });
}

/** Jobs in the training queues, whatever their state. */
async function queuedJobs(): Promise<number> {
  const counts = await Promise.all([training.getJobCounts(), trainingGpu.getJobCounts()]);
  return counts.flatMap((byState) => Object.values(byState)).reduce((sum, n) => sum + n, 0);
}

describe('Mutation.requestRetraining', () => {
  it('queues a validated training job on `training` with the admin as its actor', async () => {
    const before = Date.now();
    const res = await requestRetraining({
      modelType: 'als',
      placement: 'SEARCH',
      params: { factors: 8, iterations: 2 },
      protocol: 'holdout',
    });
    expect(res.errors).toBeUndefined();
    const request = res.data!.requestRetraining;
    expect(request).toEqual({
      jobId: expect.any(String),
      queue: QueueName.TRAINING,
      requestedBy: 'admin-7',
      requestedAt: expect.any(String),
    });
    const requestedAt = Date.parse(request.requestedAt);
    expect(requestedAt).toBeGreaterThanOrEqual(before);
    expect(requestedAt).toBeLessThanOrEqual(Date.now());

    const job = await training.getJob(request.jobId);
    expect(job).toBeDefined();
    expect(job!.name).toBe(JobName.TRAIN);
    const expected = {
      modelType: 'als',
      datasetId: DATASET,
      params: { factors: 8, iterations: 2 },
      protocol: 'holdout',
      placement: 'search',
      actor: 'admin-7',
    };
    expect(job!.data).toEqual(expected);
    // The worker parses it to the same payload.
    expect(parsePayload(JobName.TRAIN, job!.data)).toEqual(expected);
    expect(job!.opts).toMatchObject({
      attempts: DEFAULT_JOB_OPTIONS.attempts,
      backoff: DEFAULT_JOB_OPTIONS.backoff,
      removeOnComplete: DEFAULT_JOB_OPTIONS.removeOnComplete,
      removeOnFail: DEFAULT_JOB_OPTIONS.removeOnFail,
    });
  });

  it('takes an explicit dataset and parameters written inline, variables inside', async () => {
    const res = await graphql<{ requestRetraining: RetrainingRequest }>(
      subgraph.url,
      `
        mutation Retrain($lambda: Float!) {
          requestRetraining(
            input: { modelType: "ease", datasetId: "marketplace", params: { lambda: $lambda } }
          ) {
            jobId
            queue
          }
        }
      `,
      { variables: { lambda: 250 }, headers: ADMIN },
    );
    expect(res.errors).toBeUndefined();
    const job = await training.getJob(res.data!.requestRetraining.jobId);
    expect(job!.data).toEqual({
      modelType: 'ease',
      datasetId: 'marketplace',
      params: { lambda: 250 },
      protocol: 'holdout',
      actor: 'admin-7',
    });
  });

  it.each([
    ['a USER', { 'x-user-id': '1' }],
    ['a PROVIDER', { 'x-user-id': 'p-1', 'x-user-role': 'PROVIDER' }],
    ['an anonymous caller', {}],
    ['a trusted service', { 'x-service-token': SERVICE_TOKEN }],
    [
      'a trusted service acting for an ADMIN id',
      { 'x-service-token': SERVICE_TOKEN, 'x-user-id': 'admin-7' },
    ],
  ])('refuses %s with FORBIDDEN and queues nothing', async (_who, headers: Record<string, string>) => {
    const before = await queuedJobs();
    const res = await requestRetraining({ modelType: 'als' }, headers);
    expect(res.status).toBe(200);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors![0].path).toEqual(['requestRetraining']);
    expect(res.data).toBeNull();
    expect(await queuedJobs()).toBe(before);
  });

  it.each([
    ['an unknown parameter', { modelType: 'als', params: { factorz: 8 } }, 'input.params', /factorz/],
    [
      'a parameter of the wrong type',
      { modelType: 'als', params: { factors: 'many' } },
      'input.params',
      /factors/,
    ],
    ['an unknown model type', { modelType: 'deep-magic' }, 'input.modelType', /modelType/],
    ['an unknown protocol', { modelType: 'als', protocol: 'leave-none-out' }, 'input.protocol', /protocol/],
    ['a malformed dataset id', { modelType: 'als', datasetId: 'no spaces' }, 'input.datasetId', /dataset id/],
  ])(
    'refuses %s with BAD_USER_INPUT naming the field, and queues nothing',
    async (_what, input: Record<string, unknown>, field: string, message: RegExp) => {
      const before = await queuedJobs();
      const res = await requestRetraining(input);
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      const error = res.errors![0];
      expect(error.extensions).toMatchObject({
        field,
        fields: [field],
        jobCode: JobErrorCode.INVALID_PAYLOAD,
      });
      expect(error.message).toContain(`${field}: `);
      expect(error.message).toMatch(message);
      expect(await queuedJobs()).toBe(before);
    },
  );

  it('names every bad field at once', async () => {
    const res = await requestRetraining({ modelType: 'als', params: { factorz: 1 }, protocol: 'nope' });
    expect(res.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: expect.arrayContaining(['input.params', 'input.protocol']),
    });
  });

  it('refuses params that are not a JSON object before anything runs', async () => {
    const before = await queuedJobs();
    const res = await requestRetraining({ modelType: 'als', params: [1, 2] });
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].message).toMatch(/JSONObject must be a JSON object/);
    expect(await queuedJobs()).toBe(before);
  });

  it('answers SERVICE_UNAVAILABLE without a training queue', async () => {
    const bare = await startSubgraph(idleEngine(), { datasetId: DATASET });
    try {
      const res = await requestRetraining({ modelType: 'als' }, ADMIN, bare.url);
      expect(errorCodes(res)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(res.errors![0].message).toMatch(/no training queue configured/);
      // Authorization still comes first.
      const user = await requestRetraining({ modelType: 'als' }, { 'x-user-id': '1' }, bare.url);
      expect(errorCodes(user)).toEqual(['FORBIDDEN']);
    } finally {
      await bare.server.stop();
    }
  });

  it('answers SERVICE_UNAVAILABLE when Redis cannot be reached, and still refuses bad input first', async () => {
    const unreachable = new TrainingJobProducer({
      connection: unreachableRedis(await closedPort()),
      prefix: PREFIX,
      timeoutMs: 300,
    });
    const down = await startSubgraph(idleEngine(), { trainingJobs: unreachable, datasetId: DATASET });
    try {
      const res = await requestRetraining({ modelType: 'als' }, ADMIN, down.url);
      expect(errorCodes(res)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(res.errors![0].extensions).toMatchObject({ jobCode: JobErrorCode.QUEUE_UNAVAILABLE });
      expect(res.errors![0].message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      const bad = await requestRetraining({ modelType: 'als', params: { factorz: 1 } }, ADMIN, down.url);
      expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    } finally {
      await down.server.stop();
      await unreachable.close();
    }
  });
});

describe('TrainingJobProducer', () => {
  it('queues GPU jobs on training-gpu', async () => {
    const job = await producer.enqueueTraining(
      { modelType: 'als', datasetId: DATASET, actor: 'test' },
      { gpu: true },
    );
    expect(job.queue).toBe(QueueName.TRAINING_GPU);
    expect((await trainingGpu.getJob(job.jobId))!.data).toMatchObject({ modelType: 'als', actor: 'test' });
  });

  it('refuses a bad payload with INVALID_PAYLOAD and its issues, before touching Redis', async () => {
    const offline = new TrainingJobProducer({
      connection: unreachableRedis(await closedPort()),
      timeoutMs: 60_000,
    });
    try {
      const error: unknown = await offline
        .enqueueTraining({ modelType: 'als', datasetId: DATASET, params: { factorz: 1 } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JobError);
      expect(error).toMatchObject({
        code: JobErrorCode.INVALID_PAYLOAD,
        retryable: false,
        issues: [{ path: ['params'], message: expect.stringContaining('factorz') }],
      });
    } finally {
      await offline.close();
    }
  });
});

describe('TrainingJobProducer while Redis is away', () => {
  it('gives up after its timeout on a client that keeps reconnecting (QUEUE_UNAVAILABLE)', async () => {
    const client = new Redis({ ...unreachableRedis(await closedPort()), lazyConnect: false });
    client.on('error', () => undefined);
    const waiting = new TrainingJobProducer({ connection: client, prefix: PREFIX, timeoutMs: 200 });
    try {
      const error: unknown = await waiting
        .enqueueTraining({ modelType: 'als', datasetId: DATASET })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: JobErrorCode.QUEUE_UNAVAILABLE,
        retryable: true,
        message: expect.stringContaining('no answer from Redis within 200 ms'),
      });
    } finally {
      await waiting.close();
      client.disconnect();
    }
  });

  it('queues again once Redis is back', async () => {
    const port = await closedPort();
    const recovering = new TrainingJobProducer({ connection: unreachableRedis(port), prefix: PREFIX });
    const proxy = redisProxy();
    try {
      const request = { modelType: 'als', datasetId: DATASET, actor: 'recovery' };
      await expect(recovering.enqueueTraining(request)).rejects.toMatchObject({
        code: JobErrorCode.QUEUE_UNAVAILABLE,
      });
      await proxy.listen(port);
      const job = await recovering.enqueueTraining(request);
      expect((await training.getJob(job.jobId))!.data).toMatchObject({ actor: 'recovery' });
    } finally {
      await recovering.close();
      await proxy.close();
    }
  });
});

/**
 * Connection options for a port nothing listens on. ioredis keeps a refused socket's disconnect timer
 * (2 s by default) after close(), which would hold Jest past the end of the run.
 */
function unreachableRedis(port: number): {
  host: string;
  port: number;
  lazyConnect: true;
  disconnectTimeout: number;
} {
  return { host: '127.0.0.1', port, lazyConnect: true, disconnectTimeout: 50 };
}

/** A TCP proxy to REDIS_URL that can start listening late: Redis "coming back". */
function redisProxy(): { listen(port: number): Promise<void>; close(): Promise<void> } {
  const target = new URL(REDIS_URL);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  return {
    listen: (port) => new Promise((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        if (server.listening) server.close(() => resolve());
        else resolve();
      }),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
