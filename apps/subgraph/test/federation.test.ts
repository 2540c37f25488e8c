import type { CompositionResult } from '@apollo/composition';
import type { ServingEngine } from '@recsys/serving';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { DATASET, createEngineFixture, type EngineFixture } from './support/engine-fixture';
import { errorCodes, graphql } from './support/graphql-client';
import { SERVICE_TOKEN, sharedEngine, startSubgraph, type RunningSubgraph } from './support/start-subgraph';
import { composeFromServices, startGateway, type RunningGateway } from './support/supergraph';
import { startCatalogSubgraph, startUsersSubgraph, type StartedSubgraph } from './support/test-subgraphs';

/*
 * The subgraph in a real supergraph: `users` and `catalog` test subgraphs, this subgraph over the real
 * engine (MovieLens 100K, ALS), composed from the SDL each serves and run behind @apollo/gateway.
 */

let fixture: EngineFixture;
let engine: ServingEngine;
let recommendations: RunningSubgraph;
let users: StartedSubgraph;
let catalog: StartedSubgraph;
let composition: CompositionResult;
let gateway: RunningGateway;

beforeAll(async () => {
  fixture = await createEngineFixture();
  engine = await fixture.createEngine();
  recommendations = await startSubgraph(sharedEngine(engine), { redis: fixture.redis });
  users = await startUsersSubgraph();
  catalog = await startCatalogSubgraph(fixture.db.pool, DATASET);
  composition = await composeFromServices([
    { name: 'users', url: users.url },
    { name: 'catalog', url: catalog.url },
    { name: 'recommendations', url: recommendations.url },
  ]);
  if (composition.errors !== undefined) throw new Error(composition.errors.map((e) => e.message).join('\n'));
  gateway = await startGateway(composition.supergraphSdl);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([users?.stop(), catalog?.stop(), recommendations?.server.stop()]);
  await engine?.close();
  await fixture?.close();
});

const USER_RECOMMENDATIONS = `{
  user(id: "1") { name recommendations(limit: 5) { items { service { name } score reasons } } }
}`;

interface UserRecommendations {
  user: {
    name: string;
    recommendations: { items: { service: { name: string }; score: number; reasons: string[] }[] };
  } | null;
}

describe('composition', () => {
  it('composes with the users and catalog subgraphs with no errors and no hints', () => {
    expect(composition.errors).toBeUndefined();
    expect(composition.hints).toEqual([]);
  });

  it('serves a federation 2 SDL that references User and Service by key only', async () => {
    const res = await graphql<{ _service: { sdl: string } }>(recommendations.url, '{ _service { sdl } }');
    const sdl = res.data!._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    const fieldsOf = (typeName: string) =>
      parse(sdl)
        .definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION)
        .find((d) => d.name.value === typeName)
        ?.fields?.map((field) => field.name.value);
    expect(fieldsOf('User')).toEqual(['id', 'recommendations']);
    expect(fieldsOf('Service')).toEqual(['id', 'similarServices']);
  });
});

describe('through the gateway', () => {
  it('answers user → recommendations → service names across all three subgraphs', async () => {
    const res = await graphql<UserRecommendations>(gateway.url, USER_RECOMMENDATIONS, {
      headers: { 'x-user-id': '1' },
    });
    expect(res.errors).toBeUndefined();
    const user = res.data!.user!;
    expect(user.name).toBe('Shopper 1');
    expect(user.recommendations.items).toHaveLength(5);
    for (const item of user.recommendations.items) {
      expect(item.service.name).toMatch(/\(\d{4}\)$/); // MovieLens titles end with the year
      expect(Number.isFinite(item.score)).toBe(true);
      expect(item.reasons.length).toBeGreaterThan(0);
    }
  });

  it("refuses another user's recommendations with FORBIDDEN", async () => {
    const res = await graphql<UserRecommendations>(gateway.url, USER_RECOMMENDATIONS, {
      headers: { 'x-user-id': '2' },
    });
    expect(res.data!.user).toBeNull();
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors![0].path).toEqual(['user', 'recommendations']);
  });

  it.each([
    ['an ADMIN', { 'x-user-id': '900', 'x-user-role': 'ADMIN' }],
    ['a trusted service', { 'x-service-token': SERVICE_TOKEN }],
  ])("lets %s read a user's recommendations", async (_who, headers) => {
    const res = await graphql<UserRecommendations>(gateway.url, USER_RECOMMENDATIONS, { headers });
    expect(res.errors).toBeUndefined();
    expect(res.data!.user!.recommendations.items).toHaveLength(5);
  });

  it('resolves Service.similarServices and trendingServices with catalog fields', async () => {
    const res = await graphql<{
      service: { name: string; similarServices: { service: { name: string; category: string | null } }[] };
      trendingServices: { service: { id: string; name: string } }[];
    }>(
      gateway.url,
      `
        {
          service(id: "50") {
            name
            similarServices(limit: 3) {
              service {
                name
                category
              }
            }
          }
          trendingServices(limit: 3) {
            service {
              id
              name
            }
          }
        }
      `,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.service.name).toBe('Star Wars (1977)');
    expect(res.data!.service.similarServices).toHaveLength(3);
    expect(res.data!.trendingServices).toHaveLength(3);
    expect(res.data!.trendingServices[0].service.name.length).toBeGreaterThan(0);
  });

  it('passes BAD_USER_INPUT for a bad limit on to the client', async () => {
    const res = await graphql(gateway.url, '{ user(id: "1") { recommendations(limit: 0) { requestId } } }', {
      headers: { 'x-user-id': '1' },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].message).toContain('limit');
  });
});

describe('rate limits through the gateway', () => {
  it('passes RATE_LIMITED and retryAfterSeconds on to the client', async () => {
    const limited = await startSubgraph(sharedEngine(engine), {
      redis: fixture.redis,
      rateLimit: { points: 2, windowSeconds: 60, keyPrefix: `${fixture.keyPrefix}gw-rl` },
    });
    const composed = await composeFromServices([
      { name: 'users', url: users.url },
      { name: 'catalog', url: catalog.url },
      { name: 'recommendations', url: limited.url },
    ]);
    const limitedGateway = await startGateway(composed.supergraphSdl!);
    try {
      const ask = () =>
        graphql(limitedGateway.url, '{ trendingServices(limit: 2) { rank } }', {
          headers: { 'x-user-id': '77' },
        });
      expect((await ask()).errors).toBeUndefined();
      expect((await ask()).errors).toBeUndefined();
      const refused = await ask();
      expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
      expect(refused.errors![0].extensions?.retryAfterSeconds).toEqual(expect.any(Number));
    } finally {
      await limitedGateway.stop();
      await limited.server.stop();
    }
  });
});
