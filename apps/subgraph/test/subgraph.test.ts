import { randomUUID } from 'node:crypto';
import { COLD_START_VERSION, type RecommendationList, type ServingEngine } from '@recsys/serving';
import { createEngineFixture, type EngineFixture } from './support/engine-fixture';
import { errorCodes, graphql } from './support/graphql-client';
import { SERVICE_TOKEN, sharedEngine, startSubgraph, type RunningSubgraph } from './support/start-subgraph';

/*
 * The subgraph over HTTP with the real engine (MovieLens 100K, ALS): authorization, input validation,
 * depth and complexity limits, the engine's answers and the mapping of its errors.
 */

let fixture: EngineFixture;
let engine: ServingEngine;
let subgraph: RunningSubgraph;

beforeAll(async () => {
  fixture = await createEngineFixture();
  engine = await fixture.createEngine();
  subgraph = await startSubgraph(sharedEngine(engine), {
    redis: fixture.redis,
    maxDepth: 6,
    maxComplexity: 5000,
  });
});

afterAll(async () => {
  await subgraph?.server.stop();
  await engine?.close();
  await fixture?.close();
});

const asUser = (id: string, role?: string): Record<string, string> =>
  role === undefined ? { 'x-user-id': id } : { 'x-user-id': id, 'x-user-role': role };

const RECOMMENDATIONS = `
  query Recs($userId: ID!, $limit: Int, $context: RecommendationContextInput, $filter: RecommendationFilterInput) {
    recommendations(userId: $userId, limit: $limit, context: $context, filter: $filter) {
      requestId modelVersion experimentVariant generatedAt fromCache coldStart
      items { service { id } score rank source reasons }
    }
  }`;

interface WireItem {
  service: { id: string };
  score: number;
  rank: number;
  source: string;
  reasons: string[];
}
type WireList = Omit<RecommendationList, 'generatedAt' | 'items'> & {
  generatedAt: string;
  items: WireItem[];
};

function recommendations(variables: Record<string, unknown>, headers: Record<string, string>) {
  return graphql<{ recommendations: WireList }>(subgraph.url, RECOMMENDATIONS, { variables, headers });
}

const USER_ENTITY_RECOMMENDATIONS = `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on User { id recommendations(limit: 3) { items { service { id } rank } } }
    }
  }`;

describe('Query.recommendations', () => {
  it('answers the user themself with a ranked list from the model', async () => {
    const res = await recommendations({ userId: '1', limit: 5 }, asUser('1'));
    expect(res.errors).toBeUndefined();
    const list = res.data!.recommendations;
    expect(list.items).toHaveLength(5);
    expect(list.items.map((item) => item.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(list.modelVersion).toBe('als@1');
    expect(list.coldStart).toBe(false);
    expect(list.experimentVariant).toBeNull();
    expect(new Date(list.generatedAt).toISOString()).toBe(list.generatedAt);
    expect(list.requestId).toEqual(expect.any(String));
    for (const item of list.items) {
      expect(item.reasons.length).toBeGreaterThan(0);
      expect(['MODEL', 'SIMILAR', 'CONTENT', 'TRENDING', 'POPULAR', 'EXPLORATION']).toContain(item.source);
    }
  });

  it('answers the same request from the cache the second time', async () => {
    const variables = { userId: '7', limit: 4, context: { placement: 'HOME', device: 'MOBILE' } };
    const first = await recommendations(variables, asUser('7'));
    const second = await recommendations(variables, asUser('7'));
    expect(first.data!.recommendations.fromCache).toBe(false);
    expect(second.data!.recommendations.fromCache).toBe(true);
    expect(second.data!.recommendations.items).toEqual(first.data!.recommendations.items);
  });

  it('passes context and filter to the engine (hour, weekday, recently viewed, categories)', async () => {
    const res = await recommendations(
      {
        userId: '1',
        limit: 5,
        context: {
          placement: 'SERVICE_PAGE',
          serviceId: '50',
          hour: 21,
          weekday: 5,
          recentlyViewed: ['50', '181'],
          country: 'de',
        },
        filter: { categories: ['Comedy'] },
      },
      asUser('1'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.recommendations.items.length).toBeGreaterThan(0);
  });

  it('gives an unknown user a cold-start list, not an error', async () => {
    const res = await recommendations(
      { userId: 'new-user-never-seen', limit: 5 },
      asUser('new-user-never-seen'),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.recommendations.coldStart).toBe(true);
    expect(res.data!.recommendations.modelVersion).toBe(COLD_START_VERSION);
    expect(res.data!.recommendations.items).toHaveLength(5);
  });
});

describe('authorization', () => {
  it.each([
    ['another user', asUser('2')],
    ['a PROVIDER', asUser('2', 'PROVIDER')],
    ['an anonymous caller', {}],
  ])("refuses %s a user's recommendations with FORBIDDEN", async (_who, headers) => {
    const res = await recommendations({ userId: '1', limit: 3 }, headers);
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors![0].path).toEqual(['recommendations']);
  });

  it.each([
    ['an ADMIN', asUser('999', 'ADMIN')],
    ['a trusted service', { 'x-service-token': SERVICE_TOKEN }],
    ['a trusted service acting for another user', { 'x-service-token': SERVICE_TOKEN, 'x-user-id': '5' }],
  ])("lets %s read a user's recommendations", async (_who, headers) => {
    const res = await recommendations({ userId: '1', limit: 3 }, headers);
    expect(res.errors).toBeUndefined();
    expect(res.data!.recommendations.items).toHaveLength(3);
  });

  it.each([
    ['a wrong service token', { 'x-service-token': 'not-the-token-at-all-0123456789' }, 'x-service-token'],
    ['an unknown role', asUser('1', 'ROOT'), 'x-user-role'],
    ['a role without a user', { 'x-user-role': 'ADMIN' }, 'x-user-role'],
    ['a malformed user id', { 'x-user-id': 'a'.repeat(129) }, 'x-user-id'],
  ])('rejects %s with UNAUTHENTICATED (401)', async (_what, headers, header) => {
    const res = await recommendations({ userId: '1', limit: 3 }, headers);
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.errors![0].message).toContain(header);
  });

  it('applies the same rule to User.recommendations (entity resolution)', async () => {
    const representations = [{ __typename: 'User', id: '1' }];
    const own = await graphql<{ _entities: { id: string; recommendations: { items: unknown[] } }[] }>(
      subgraph.url,
      USER_ENTITY_RECOMMENDATIONS,
      { variables: { representations }, headers: asUser('1') },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!._entities[0].recommendations.items).toHaveLength(3);

    const other = await graphql(subgraph.url, USER_ENTITY_RECOMMENDATIONS, {
      variables: { representations },
      headers: asUser('2'),
    });
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(other.errors![0].path).toEqual(['_entities', 0, 'recommendations']);
  });
});

describe('input validation', () => {
  it.each([-1, 0, 101, 1000])('rejects limit %d with BAD_USER_INPUT naming limit', async (limit) => {
    const res = await recommendations({ userId: '1', limit }, asUser('1'));
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions?.field).toBe('limit');
    expect(res.errors![0].message).toMatch(/^limit must be an integer from 1 to 100/);
  });

  it('accepts limit 1 and 100', async () => {
    for (const limit of [1, 100]) {
      const res = await recommendations({ userId: '1', limit }, asUser('1'));
      expect(res.errors).toBeUndefined();
      expect(res.data!.recommendations.items.length).toBeLessThanOrEqual(limit);
    }
  });

  it.each([
    ['empty', '', 'must not be empty'],
    ['too long', 'u'.repeat(129), 'at most 128 characters'],
    ['with a control character', 'u\u0000ser', 'control characters'],
    ['with a newline', 'us\ner', 'control characters'],
  ])('rejects a userId that is %s', async (_what, userId, problem) => {
    const res = await recommendations({ userId, limit: 3 }, { 'x-service-token': SERVICE_TOKEN });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions?.field).toBe('userId');
    expect(res.errors![0].message).toContain(problem);
  });

  it.each([
    [{ hour: 24 }, 'context.hour'],
    [{ hour: -1 }, 'context.hour'],
    [{ weekday: 7 }, 'context.weekday'],
    [{ time: '2025-01-31T12:00:00Z', hour: 3 }, 'context.time'],
    [{ country: 'Germany' }, 'context.country'],
    [{ recentlyViewed: ['50', ''] }, 'context.recentlyViewed[1]'],
    [{ sessionId: 's'.repeat(200) }, 'context.sessionId'],
    [{ serviceId: 'a\u0007b' }, 'context.serviceId'],
  ])('rejects context %j naming %s', async (context, field) => {
    const res = await recommendations({ userId: '1', limit: 3, context }, asUser('1'));
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions?.field).toBe(field);
    expect(res.errors![0].message.startsWith(field)).toBe(true);
  });

  it('rejects an unknown placement with BAD_USER_INPUT naming it', async () => {
    const res = await recommendations(
      { userId: '1', limit: 3, context: { placement: 'CHECKOUT' } },
      asUser('1'),
    );
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].message).toContain('placement');
    expect(res.errors![0].message).toContain('CHECKOUT');
  });

  it('rejects a malformed DateTime', async () => {
    const res = await recommendations({ userId: '1', limit: 3, context: { time: 'yesterday' } }, asUser('1'));
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].message).toContain('context.time');
  });

  it('rejects a filter out of range', async () => {
    const res = await recommendations({ userId: '1', limit: 3, filter: { maxPriceTier: 5 } }, asUser('1'));
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions?.field).toBe('filter.maxPriceTier');
  });
});

describe('query limits', () => {
  it('rejects an operation deeper than the depth limit', async () => {
    const res = await graphql(
      subgraph.url,
      `
        {
          trendingServices(limit: 1) {
            service {
              similarServices(limit: 1) {
                service {
                  similarServices(limit: 1) {
                    service {
                      similarServices(limit: 1) {
                        service {
                          id
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      `,
    );
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.errors![0].message).toContain('exceeds maximum operation depth of 6');
  });

  it('rejects an operation whose estimated cost is too high', async () => {
    const res = await graphql(
      subgraph.url,
      `
        {
          trendingServices(limit: 100) {
            service {
              similarServices(limit: 100) {
                rank
                score
              }
            }
          }
        }
      `,
    );
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.errors![0].extensions?.maximum).toBe(5000);
  });

  it('counts entity representations in the cost', async () => {
    const representations = Array.from({ length: 60 }, (_, i) => ({
      __typename: 'Service',
      id: String(i + 1),
    }));
    const res = await graphql(
      subgraph.url,
      `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Service {
              similarServices(limit: 100) {
                rank
              }
            }
          }
        }
      `,
      { variables: { r: representations } },
    );
    expect(errorCodes(res)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('estimates one document anew for each value of the variables its cost depends on', async () => {
    const query = `
      query Cost($outer: Int, $inner: Int, $skip: Boolean!) {
        trendingServices(limit: $outer) {
          service {
            similarServices(limit: $inner) @skip(if: $skip) {
              rank
            }
          }
        }
      }
    `;
    const small = { outer: 2, inner: 2, skip: false };
    const large = { outer: 100, inner: 100, skip: false };
    expect((await graphql(subgraph.url, query, { variables: small })).errors).toBeUndefined();
    // The same text with larger limits: 1 + 100 · (1 + (1 + 100 · 1)) = 10,201 > 5,000.
    const refused = await graphql(subgraph.url, query, { variables: large });
    expect(errorCodes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(refused.errors![0].extensions?.complexity).toBe(10_201);
    // Skipping the nested list (a directive's variable): 1 + 100 · 1 = 101.
    expect(
      (await graphql(subgraph.url, query, { variables: { ...large, skip: true } })).errors,
    ).toBeUndefined();
    expect((await graphql(subgraph.url, query, { variables: small })).errors).toBeUndefined();
    expect(errorCodes(await graphql(subgraph.url, query, { variables: large }))).toEqual([
      'QUERY_TOO_COMPLEX',
    ]);
  });
});

describe('public lists', () => {
  it('answers trendingServices without a caller', async () => {
    const res = await graphql<{ trendingServices: WireItem[] }>(
      subgraph.url,
      `
        {
          trendingServices(limit: 5) {
            service {
              id
            }
            rank
            score
            source
            reasons
          }
        }
      `,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.trendingServices).toHaveLength(5);
  });

  it('answers Service.similarServices for a service reference', async () => {
    const res = await graphql<{ _entities: { id: string; similarServices: WireItem[] }[] }>(
      subgraph.url,
      `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Service {
              id
              similarServices(limit: 4) {
                service {
                  id
                }
                rank
                reasons
              }
            }
          }
        }
      `,
      { variables: { r: [{ __typename: 'Service', id: '1' }] } },
    );
    expect(res.errors).toBeUndefined();
    const similar = res.data!._entities[0].similarServices;
    expect(similar).toHaveLength(4);
    expect(similar.map((item) => item.service.id)).not.toContain('1');
  });

  it('maps an unknown service to BAD_USER_INPUT', async () => {
    const res = await graphql(
      subgraph.url,
      `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Service {
              similarServices(limit: 4) {
                rank
              }
            }
          }
        }
      `,
      { variables: { r: [{ __typename: 'Service', id: 'no-such-service' }] } },
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions?.servingCode).toBe('UNKNOWN_SERVICE');
  });
});

describe('Mutation.recordInteraction', () => {
  const RECORD = `
    mutation Record($input: RecordInteractionInput!) {
      recordInteraction(input: $input) { stored interactionId }
    }`;

  function record(input: Record<string, unknown>, headers: Record<string, string>) {
    return graphql<{ recordInteraction: { stored: boolean; interactionId: string } }>(subgraph.url, RECORD, {
      variables: { input },
      headers,
    });
  }

  it('stores an event of the user themself once per idempotency key', async () => {
    const list = await recommendations({ userId: '3', limit: 2 }, asUser('3'));
    const input = {
      userId: '3',
      serviceId: list.data!.recommendations.items[0].service.id,
      type: 'CLICK',
      requestId: list.data!.recommendations.requestId,
      idempotencyKey: `click-${randomUUID()}`,
      context: { placement: 'HOME', device: 'DESKTOP' },
    };
    const first = await record(input, asUser('3'));
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordInteraction.stored).toBe(true);
    const replay = await record(input, asUser('3'));
    expect(replay.data!.recordInteraction).toEqual({
      stored: false,
      interactionId: first.data!.recordInteraction.interactionId,
    });
  });

  it('refuses an event for another user, and lets a trusted service record it', async () => {
    const input = { userId: '4', serviceId: '10', type: 'IMPRESSION', idempotencyKey: `imp-${randomUUID()}` };
    expect(errorCodes(await record(input, asUser('3')))).toEqual(['FORBIDDEN']);
    const trusted = await record(input, { 'x-service-token': SERVICE_TOKEN });
    expect(trusted.data!.recordInteraction.stored).toBe(true);
  });

  it.each([
    [{ type: 'RATING' }, 'input.value'],
    [{ idempotencyKey: '' }, 'input.idempotencyKey'],
    [{ serviceId: 'x'.repeat(129) }, 'input.serviceId'],
    [{ dwellMs: -5 }, 'input.dwellMs'],
    [{ occurredAt: '2999-01-01T00:00:00Z' }, 'input.occurredAt'],
    [{ context: { weekday: 9 } }, 'input.context.weekday'],
  ])('rejects %j naming %s', async (change, field) => {
    const input = {
      userId: '3',
      serviceId: '10',
      type: 'CLICK',
      idempotencyKey: `k-${randomUUID()}`,
      ...change,
    };
    const res = await record(input, asUser('3'));
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0].extensions?.field).toBe(field);
  });

  it("maps the engine's own refusals (unknown service, rating out of range) to BAD_USER_INPUT", async () => {
    const unknown = await record(
      { userId: '3', serviceId: 'no-such-service', type: 'CLICK', idempotencyKey: `k-${randomUUID()}` },
      asUser('3'),
    );
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0].extensions?.servingCode).toBe('UNKNOWN_SERVICE');
    const rating = await record(
      { userId: '3', serviceId: '10', type: 'RATING', value: 9, idempotencyKey: `k-${randomUUID()}` },
      asUser('3'),
    );
    expect(errorCodes(rating)).toEqual(['BAD_USER_INPUT']);
    expect(rating.errors![0].extensions?.servingCode).toBe('INVALID_INPUT');
  });
});
