import type { RecommendRequest, ServingEngine } from '@recsys/serving';
import { createLogger } from '../src';
import { createEngineFixture, type EngineFixture } from './support/engine-fixture';
import { errorCodes, graphql } from './support/graphql-client';
import { bind, sharedEngine, startSubgraph, type RunningSubgraph } from './support/start-subgraph';

/*
 * Operations with the real engine: /health, /ready, /metrics, request ids in logs, per-caller rate
 * limits in Redis, and a graceful stop that completes in-flight requests.
 */

let fixture: EngineFixture;
let engine: ServingEngine;
let subgraph: RunningSubgraph;
const logLines: string[] = [];

beforeAll(async () => {
  fixture = await createEngineFixture();
  engine = await fixture.createEngine();
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void logLines.push(line) },
  });
  subgraph = await startSubgraph(sharedEngine(engine), { redis: fixture.redis, logger });
});

afterAll(async () => {
  await subgraph?.server.stop();
  await engine?.close();
  await fixture?.close();
});

const RECOMMENDATIONS = `query HomeRecs($userId: ID!) { recommendations(userId: $userId, limit: 3) { fromCache items { rank } } }`;

function recommendFor(url: string, userId: string, headers: Record<string, string> = {}) {
  return graphql<{ recommendations: { fromCache: boolean; items: { rank: number }[] } }>(
    url,
    RECOMMENDATIONS,
    {
      variables: { userId },
      headers: { 'x-user-id': userId, ...headers },
    },
  );
}

describe('/health and /ready', () => {
  it('/health says the process is alive', async () => {
    const res = await fetch(`${subgraph.base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/ready reports database, Redis and the loaded models', async () => {
    const res = await fetch(`${subgraph.base}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      reasons: [],
      database: true,
      redis: true,
      models: { home: 'als@1', search: 'als@1', service_page: 'als@1' },
    });
  });

  it('/ready answers 503 when no model is loaded', async () => {
    const modelless = await startSubgraph({
      ...sharedEngine(engine),
      health: async () => ({ ...(await engine.health()), models: {} }),
    });
    try {
      const res = await fetch(`${modelless.base}/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'not_ready', reasons: ['no model loaded'] });
    } finally {
      await modelless.server.stop();
    }
  });
});

describe('/metrics', () => {
  it('exposes operation latency, errors by code, the cache hit ratio and the model version', async () => {
    await recommendFor(subgraph.url, '11');
    await recommendFor(subgraph.url, '11');
    await recommendFor(subgraph.url, '11', { 'x-user-id': '12' });
    const res = await fetch(`${subgraph.base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /recsys_graphql_operation_duration_seconds_count\{operation="HomeRecs",type="query"\} 3/,
    );
    expect(text).toMatch(
      /recsys_graphql_operation_duration_seconds_bucket\{le="0\.1",operation="HomeRecs",type="query"\}/,
    );
    expect(text).toMatch(/recsys_graphql_errors_total\{code="FORBIDDEN"\} 1/);
    expect(text).toMatch(/recsys_recommendation_lists_total\{from_cache="true",cold_start="false"\} 1/);
    expect(text).toMatch(/recsys_recommendation_cache_hit_ratio 0\.5/);
    expect(text).toMatch(/recsys_model_version_info\{placement="home",version="als@1"\} 1/);
  });
});

describe('request ids', () => {
  it('echoes x-request-id and carries it in the logs; makes one when absent', async () => {
    const given = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-abc-123', 'x-user-id': '5' },
      body: JSON.stringify({ query: '{ recommendations(userId: "6") { requestId } }' }),
    });
    expect(given.headers.get('x-request-id')).toBe('req-abc-123');
    const logged = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(expect.objectContaining({ requestId: 'req-abc-123', code: 'FORBIDDEN' }));
    expect(logged).toContainEqual(
      expect.objectContaining({
        requestId: 'req-abc-123',
        msg: 'request finished',
        status: 200,
        path: '/graphql',
      }),
    );

    const made = await fetch(`${subgraph.base}/health`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the /graphql endpoint', () => {
  it('answers a malformed JSON body with 400 BAD_REQUEST, with the request id', async () => {
    const res = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-bad-json' },
      body: '{"query": "{ trendingServices { rank } }"',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toBe('req-bad-json');
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toMatch(/JSON/);
  });

  it('refuses a body over the limit (100 kB) with 413', async () => {
    const res = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ trendingServices { rank } }${' '.repeat(120_000)}` }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('serves /graphql/ and a query string, the landing page on GET, and 404 elsewhere', async () => {
    const answered = await graphql<{ trendingServices: { rank: number }[] }>(
      `${subgraph.base}/graphql/?from=test`,
      '{ trendingServices(limit: 2) { rank } }',
    );
    expect(answered.data!.trendingServices.map((item) => item.rank)).toEqual([1, 2]);
    const page = await fetch(subgraph.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${subgraph.base}/graphqlx`)).status).toBe(404);
  });
});

describe('rate limiting', () => {
  it('limits each caller in Redis and answers RATE_LIMITED (HTTP 200, for gateways) with Retry-After', async () => {
    const limited = await startSubgraph(sharedEngine(engine), {
      redis: fixture.redis,
      rateLimit: { points: 3, windowSeconds: 60, keyPrefix: `${fixture.keyPrefix}rl` },
    });
    try {
      for (let i = 0; i < 3; i++) expect((await recommendFor(limited.url, '21')).errors).toBeUndefined();
      const refused = await recommendFor(limited.url, '21');
      expect(refused.status).toBe(200);
      expect(refused.data).toBeUndefined(); // a request error: nothing executed
      expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.errors![0].extensions?.retryAfterSeconds).toBe(
        Number(refused.headers.get('retry-after')),
      );
      // Another caller has a bucket of its own; composition's _service query is never counted.
      expect((await recommendFor(limited.url, '22')).errors).toBeUndefined();
      expect(
        (await graphql(limited.url, '{ _service { sdl } }', { headers: { 'x-user-id': '21' } })).errors,
      ).toBeUndefined();
      expect(await fixture.redis.exists(`${fixture.keyPrefix}rl:user:21`)).toBe(1);
    } finally {
      await limited.server.stop();
    }
  });
});

describe('graceful stop', () => {
  it('turns /ready to 503, completes in-flight requests, refuses new ones, then closes the engine', async () => {
    let release: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (release = resolve));
    let engineClosed = false;
    const slow = await startSubgraph(
      {
        ...bind(engine),
        recommend: async (request: RecommendRequest) => {
          release();
          await new Promise((resolve) => setTimeout(resolve, 800));
          return engine.recommend(request);
        },
        close: async () => {
          engineClosed = true;
        },
      },
      { shutdownDelayMs: 300 },
    );
    const inFlight = recommendFor(slow.url, '31');
    await requestArrived;
    const stopping = slow.server.stop();
    const ready = await fetch(`${slow.base}/ready`, { headers: { connection: 'close' } });
    expect(ready.status).toBe(503);

    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.data!.recommendations.items).toHaveLength(3);
    await stopping;
    expect(engineClosed).toBe(true);
    await expect(fetch(`${slow.base}/health`)).rejects.toThrow();
  });
});
