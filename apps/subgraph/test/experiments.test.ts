import { randomUUID } from 'node:crypto';
import { createPrismaClient, createTestDatabase, type PrismaClient, type TestDatabase } from '@recsys/db';
import { assignVariant, ExperimentService, type Experiment } from '@recsys/experiments';
import {
  createInferenceEngine,
  directoryModelSource,
  type InferenceEngine,
  type RecommendRequest,
  type ServingEngine,
} from '@recsys/serving';
import { errorCodes, graphql, type GraphQLResponse } from './support/graphql-client';
import {
  SERVICE_TOKEN,
  bind,
  sharedEngine,
  startSubgraph,
  type RunningSubgraph,
} from './support/start-subgraph';

/*
 * A/B experiments through the subgraph, over a real engine and a throw-away PostgreSQL database with a
 * small marketplace (no model is loaded, so lists come from the engine's cold-start path): the ADMIN
 * API, assignment of served lists, exposure logging flushed on shutdown, results from recorded
 * interactions, and a restart that keeps every user's variant.
 */

const DATASET = 'marketplace';
const ADMIN = { 'x-user-id': 'admin-1', 'x-user-role': 'ADMIN' };
const SERVICE = { 'x-service-token': SERVICE_TOKEN };
const USERS = Array.from({ length: 40 }, (_, i) => `u${i}`);

let db: TestDatabase;
let prisma: PrismaClient;
let engine: ServingEngine;
/** What the engine was asked, request by request (the treatment a variant passes through). */
const asked: RecommendRequest[] = [];

async function seedMarketplace(): Promise<void> {
  await prisma.dataset.create({ data: { id: DATASET, source: 'test' } });
  await prisma.user.createMany({ data: USERS.map((id) => ({ datasetId: DATASET, id })) });
  await prisma.service.createMany({
    data: Array.from({ length: 12 }, (_, i) => ({
      datasetId: DATASET,
      id: `s${i}`,
      name: `Service ${i}`,
      categories: [['chat', 'code', 'vision'][i % 3]],
    })),
  });
  // A little history so that popular and trending have something to say.
  await prisma.interaction.createMany({
    data: Array.from({ length: 60 }, (_, k) => ({
      datasetId: DATASET,
      userId: USERS[k % USERS.length],
      serviceId: `s${k % 7}`,
      type: 'VIEW' as const,
      occurredAt: new Date(Date.now() - (k + 1) * 60_000),
      idempotencyKey: `seed-${k}`,
    })),
  });
  for (const [modelType, version, stage] of [
    ['als', 1, 'PRODUCTION'],
    ['ease', 1, 'CANDIDATE'],
    ['item-knn', 1, 'ARCHIVED'],
  ] as const) {
    await prisma.modelVersion.create({
      data: {
        modelType,
        version,
        stage,
        datasetId: DATASET,
        dataFingerprint: 'test',
        params: {},
        metrics: {},
        artifactUri: `file:///tmp/${modelType}-${randomUUID()}`,
      },
    });
  }
}

/** The engine, every request it is asked recorded. */
function recordingEngine(): InferenceEngine {
  const bound = sharedEngine(engine);
  return {
    ...bind(bound),
    recommend: (request) => {
      asked.push(request);
      return bound.recommend(request);
    },
  };
}

/** A subgraph over the engine with its own ExperimentService (exposures kept in memory until close). */
async function startWithExperiments(): Promise<{
  subgraph: RunningSubgraph;
  experiments: ExperimentService;
}> {
  const experiments = new ExperimentService({
    prisma,
    datasetId: DATASET,
    exposures: { batchSize: 10_000, maxPending: 10_000, flushIntervalMs: 3_600_000 },
  });
  const subgraph = await startSubgraph(recordingEngine(), { experiments });
  return { subgraph, experiments };
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  await seedMarketplace();
  engine = await createInferenceEngine({
    pool: db.pool,
    redis: null,
    datasetId: DATASET,
    modelSource: directoryModelSource({}),
  });
});

afterAll(async () => {
  await engine?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

const EXPERIMENT_FIELDS = `
  id name description placement status active startAt endAt primaryMetric guardrailMetrics minSampleSize alpha
  createdBy startedBy stoppedBy
  variants { name share modelVersionId policy shadow canary control }`;

const CREATE = `mutation Create($input: CreateExperimentInput!) { createExperiment(input: $input) { ${EXPERIMENT_FIELDS} } }`;
const START = `mutation Start($name: String!) { startExperiment(name: $name) { name status active startAt startedBy } }`;
const STOP = `mutation Stop($name: String!) { stopExperiment(name: $name) { name status active endAt stoppedBy } }`;
const EXPERIMENT = `query One($name: String!) { experiment(name: $name) { ${EXPERIMENT_FIELDS} } }`;
const LIST = `query Many($status: ExperimentStatus) { experiments(status: $status) { name status } }`;
const RESULTS = `
  query Results($name: String!) {
    experiment(name: $name) {
      results {
        control guardrailViolations
        variants {
          variant shown exposures users items apiCalls
          metrics {
            metric role successes trials rate interval { low high } guardrailViolated
            vsControl { difference relativeLift zScore pValue alwaysValidPValue alwaysValidInterval { low high } decision reason }
          }
        }
      }
    }
  }`;
const RECOMMENDATIONS = `
  query Recs($userId: ID!, $context: RecommendationContextInput) {
    recommendations(userId: $userId, limit: 5, context: $context) {
      requestId modelVersion experimentVariant coldStart items { service { id } rank }
    }
  }`;
const RECORD = `
  mutation Record($input: RecordInteractionInput!) { recordInteraction(input: $input) { stored } }`;

interface WireList {
  requestId: string;
  modelVersion: string;
  experimentVariant: string | null;
  coldStart: boolean;
  items: { service: { id: string }; rank: number }[];
}

function definition(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    description: 'ALS against production on the home page',
    placement: 'HOME',
    primaryMetric: 'CTR',
    guardrailMetrics: ['CONVERSION'],
    minSampleSize: 10,
    variants: [
      { name: 'control', share: 0.5, policy: 'production' },
      { name: 'als', share: 0.5, modelVersion: 'als@1' },
      { name: 'ease-shadow', share: 1, modelVersion: 'ease@1', shadow: true },
    ],
    ...overrides,
  };
}

function create(url: string, input: Record<string, unknown>, headers: Record<string, string> = ADMIN) {
  return graphql<{ createExperiment: Record<string, unknown> }>(url, CREATE, {
    variables: { input },
    headers,
  });
}

const exposures = (): Promise<number> => prisma.experimentExposure.count();

describe('ADMIN-only experiment fields', () => {
  let subgraph: RunningSubgraph;
  let experiments: ExperimentService;

  beforeAll(async () => {
    ({ subgraph, experiments } = await startWithExperiments());
  });

  afterAll(async () => {
    await subgraph?.server.stop();
    await experiments?.close();
  });

  it.each([
    ['a user', { 'x-user-id': 'u1' }],
    ['a provider', { 'x-user-id': 'p1', 'x-user-role': 'PROVIDER' }],
    ['an anonymous caller', {}],
    ['a trusted service', SERVICE],
    ['a trusted service acting for an admin id', { ...SERVICE, 'x-user-id': 'admin-1' }],
  ])('answers FORBIDDEN to %s, and changes nothing', async (_who, headers) => {
    const before = await prisma.experiment.count();
    const created = await create(subgraph.url, definition('forbidden'), headers);
    expect(errorCodes(created)).toEqual(['FORBIDDEN']);
    expect(created.data).toBeNull();
    for (const operation of [START, STOP, EXPERIMENT]) {
      const res = await graphql(subgraph.url, operation, { variables: { name: 'anything' }, headers });
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await graphql(subgraph.url, LIST, { headers }))).toEqual(['FORBIDDEN']);
    expect(await prisma.experiment.count()).toBe(before);
  });

  it.each([
    [
      'shares not summing to 1',
      {
        variants: [
          { name: 'control', share: 0.6, policy: 'production' },
          { name: 'als', share: 0.6, modelVersion: 'als@1' },
        ],
      },
      'SHARES_DO_NOT_SUM_TO_ONE',
      'input.variants',
      'the shares of the shown variants must sum to 1 (got 1.2: control 0.6, als 0.6)',
    ],
    [
      'an unknown model version',
      {
        variants: [
          { name: 'control', share: 0.5, policy: 'production' },
          { name: 'als', share: 0.5, modelVersion: 'als@7' },
        ],
      },
      'UNKNOWN_MODEL_VERSION',
      'input.variants[1].modelVersion',
      'model version "als@7" is not in the registry',
    ],
    [
      'an archived model version',
      {
        variants: [
          { name: 'control', share: 0.5, policy: 'production' },
          { name: 'knn', share: 0.5, modelVersion: 'item-knn@1' },
        ],
      },
      'ARCHIVED_MODEL_VERSION',
      'input.variants[1].modelVersion',
      'model version "item-knn@1" (item-knn@1) is ARCHIVED',
    ],
    [
      'one variant',
      { variants: [{ name: 'control', share: 1, policy: 'production' }] },
      'TOO_FEW_VARIANTS',
      'input.variants',
      'an experiment needs at least two variants (got 1)',
    ],
    [
      'duplicate variant names',
      {
        variants: [
          { name: 'control', share: 0.5, policy: 'production' },
          { name: 'control', share: 0.5, modelVersion: 'als@1' },
        ],
      },
      'DUPLICATE_VARIANT_NAME',
      'input.variants[1].name',
      'variant name "control" is used twice',
    ],
    [
      'an end in the past',
      { endAt: '2020-01-01T00:00:00Z' },
      'INVALID_DATES',
      'input.endAt',
      'endAt (2020-01-01T00:00:00.000Z) is already past',
    ],
    [
      'an unknown policy',
      {
        variants: [
          { name: 'control', share: 0.5, policy: 'production' },
          { name: 'random', share: 0.5, policy: 'random' },
        ],
      },
      'UNKNOWN_POLICY',
      'input.variants[1].policy',
      'unknown policy "random" (known: production)',
    ],
    [
      'a name with a colon',
      { name: 'home:2026' },
      'INVALID_DEFINITION',
      'input.name',
      'name: must be 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit',
    ],
  ])(
    'refuses %s with BAD_USER_INPUT naming the field',
    async (_what, overrides, experimentCode, field, message) => {
      const res = await create(subgraph.url, definition('refused', overrides));
      expect(res.status).toBe(200);
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions).toMatchObject({ experimentCode, field });
      expect(res.errors![0].message).toBe(message);
      expect(await prisma.experiment.count({ where: { name: { in: ['refused', 'home:2026'] } } })).toBe(0);
    },
  );

  it('answers null for an unknown experiment and BAD_USER_INPUT for starting one', async () => {
    const read = await graphql<{ experiment: null }>(subgraph.url, EXPERIMENT, {
      variables: { name: 'nope' },
      headers: ADMIN,
    });
    expect(read.errors).toBeUndefined();
    expect(read.data!.experiment).toBeNull();
    const start = await graphql(subgraph.url, START, { variables: { name: 'nope' }, headers: ADMIN });
    expect(errorCodes(start)).toEqual(['BAD_USER_INPUT']);
    expect(start.errors![0].extensions).toMatchObject({
      experimentCode: 'EXPERIMENT_NOT_FOUND',
      field: 'name',
    });
  });
});

describe('an experiment serving the home page', () => {
  const NAME = 'home-als-2026';

  it('is created, started, assigned, logged (flushed on shutdown), judged, and stopped', async () => {
    // --- first server: create, start, serve ---------------------------------------------------------
    const first = await startWithExperiments();
    const created = await create(first.subgraph.url, definition(NAME));
    expect(created.errors).toBeUndefined();
    const experiment = created.data!.createExperiment;
    expect(experiment).toMatchObject({
      name: NAME,
      placement: 'HOME',
      status: 'DRAFT',
      active: false,
      primaryMetric: 'CTR',
      guardrailMetrics: ['CONVERSION'],
      minSampleSize: 10,
      alpha: 0.05,
      createdBy: 'admin-1',
      startAt: null,
    });
    expect(experiment.variants).toEqual([
      {
        name: 'control',
        share: 0.5,
        modelVersionId: null,
        policy: 'production',
        shadow: false,
        canary: false,
        control: true,
      },
      {
        name: 'als',
        share: 0.5,
        modelVersionId: expect.any(String),
        policy: null,
        shadow: false,
        canary: false,
        control: false,
      },
      {
        name: 'ease-shadow',
        share: 1,
        modelVersionId: expect.any(String),
        policy: null,
        shadow: true,
        canary: false,
        control: false,
      },
    ]);

    // Not running yet: lists are in no experiment.
    const before = await graphql<{ recommendations: WireList }>(first.subgraph.url, RECOMMENDATIONS, {
      variables: { userId: 'u1' },
      headers: SERVICE,
    });
    expect(before.errors).toBeUndefined();
    expect(before.data!.recommendations.experimentVariant).toBeNull();

    const started = await graphql<{ startExperiment: Record<string, unknown> }>(first.subgraph.url, START, {
      variables: { name: NAME },
      headers: ADMIN,
    });
    expect(started.errors).toBeUndefined();
    expect(started.data!.startExperiment).toMatchObject({
      status: 'RUNNING',
      active: true,
      startedBy: 'admin-1',
    });

    // A second experiment on the same placement cannot start while this one runs.
    expect((await create(first.subgraph.url, definition('home-ease-2026'))).errors).toBeUndefined();
    const clash = await graphql(first.subgraph.url, START, {
      variables: { name: 'home-ease-2026' },
      headers: ADMIN,
    });
    expect(errorCodes(clash)).toEqual(['BAD_USER_INPUT']);
    expect(clash.errors![0].extensions).toMatchObject({
      experimentCode: 'OVERLAPPING_EXPERIMENT',
      field: 'name',
    });
    expect(clash.errors![0].message).toMatch(/experiment "home-als-2026" already runs on placement "home"/);

    const stored = (await first.experiments.get(NAME)) as Experiment;
    asked.length = 0;
    const lists = new Map<string, WireList>();
    for (const user of USERS) {
      const res = await graphql<{ recommendations: WireList }>(first.subgraph.url, RECOMMENDATIONS, {
        variables: { userId: user, context: { placement: 'HOME' } },
        headers: SERVICE,
      });
      expect(res.errors).toBeUndefined();
      const list = res.data!.recommendations;
      expect(list.items.length).toBeGreaterThan(0);
      // The variant is the hash's, and the engine was asked for what the variant serves.
      const expected = assignVariant(stored, user).variant;
      expect(list.experimentVariant).toBe(expected.name);
      lists.set(user, list);
    }
    // Each list asked for its variant's treatment, and each user's shadow list (share 1) for the shadow's.
    expect(asked).toHaveLength(2 * USERS.length);
    const treatments = new Set(asked.map((request) => JSON.stringify(request.treatment)));
    const [controlVariant, alsVariant, shadowVariant] = stored.variants;
    expect(treatments).toEqual(
      new Set([
        JSON.stringify({ policy: 'production' }),
        JSON.stringify({ modelVersionId: alsVariant.modelVersionId }),
        JSON.stringify({ modelVersionId: shadowVariant.modelVersionId }),
      ]),
    );
    const variants = [...lists.values()].map((list) => list.experimentVariant);
    expect(new Set(variants)).toEqual(new Set([controlVariant.name, alsVariant.name]));

    // Another placement is in no experiment.
    const search = await graphql<{ recommendations: WireList }>(first.subgraph.url, RECOMMENDATIONS, {
      variables: { userId: 'u1', context: { placement: 'SEARCH' } },
      headers: SERVICE,
    });
    expect(search.data!.recommendations.experimentVariant).toBeNull();

    // Outcomes: every control user and every als user clicks the first item of their list; the als users
    // also subscribe to it. Recorded through the subgraph with the list's requestId.
    let k = 0;
    for (const [user, list] of lists) {
      const types = list.experimentVariant === 'als' ? ['CLICK', 'SUBSCRIBE'] : ['CLICK'];
      for (const type of types) {
        const res = await graphql(first.subgraph.url, RECORD, {
          variables: {
            input: {
              userId: user,
              serviceId: list.items[0].service.id,
              type,
              requestId: list.requestId,
              idempotencyKey: `outcome-${k++}`,
            },
          },
          headers: SERVICE,
        });
        expect(res.errors).toBeUndefined();
      }
    }

    // Exposures wait in memory (1 h interval, 10,000 per batch) until the graceful shutdown writes them:
    // 40 shown lists and 40 shadow lists.
    expect(await exposures()).toBe(0);
    await first.subgraph.server.stop();
    await first.experiments.close();
    expect(await exposures()).toBe(80);
    expect(
      await prisma.experimentExposure.count({ where: { shown: false, variantId: shadowVariant.id } }),
    ).toBe(40);

    // --- second server (a restart): same variants, results, stop ------------------------------------
    const second = await startWithExperiments();
    try {
      for (const user of USERS.slice(0, 10)) {
        const res = await graphql<{ recommendations: WireList }>(second.subgraph.url, RECOMMENDATIONS, {
          variables: { userId: user },
          headers: SERVICE,
        });
        expect(res.data!.recommendations.experimentVariant).toBe(lists.get(user)!.experimentVariant);
      }

      const results = await graphql<{ experiment: { results: Record<string, unknown> } }>(
        second.subgraph.url,
        RESULTS,
        { variables: { name: NAME }, headers: ADMIN },
      );
      expect(results.errors).toBeUndefined();
      const {
        control,
        guardrailViolations,
        variants: byVariant,
      } = results.data!.experiment.results as {
        control: string;
        guardrailViolations: string[];
        variants: {
          variant: string;
          shown: boolean;
          exposures: number;
          metrics: {
            metric: string;
            role: string;
            successes: number;
            trials: number;
            rate: number;
            vsControl: { decision: string; difference: number } | null;
          }[];
        }[];
      };
      expect(control).toBe('control');
      expect(guardrailViolations).toEqual([]);
      const controlLists = variants.filter((v) => v === 'control').length;
      const alsLists = variants.filter((v) => v === 'als').length;
      const [c, a, s] = byVariant;
      expect(c).toMatchObject({ variant: 'control', shown: true, exposures: controlLists });
      expect(a).toMatchObject({ variant: 'als', shown: true, exposures: alsLists });
      expect(s).toMatchObject({ variant: 'ease-shadow', shown: false, exposures: 40, metrics: [] });
      expect(c.metrics.map((m) => [m.metric, m.role, m.successes, m.trials])).toEqual([
        ['CTR', 'PRIMARY', controlLists, controlLists],
        ['CONVERSION', 'GUARDRAIL', 0, controlLists],
        ['ENGAGEMENT', 'SECONDARY', 0, controlLists],
      ]);
      expect(a.metrics.map((m) => [m.metric, m.successes, m.trials])).toEqual([
        ['CTR', alsLists, alsLists],
        ['CONVERSION', alsLists, alsLists],
        ['ENGAGEMENT', 0, alsLists],
      ]);
      // CTR 1 against 1: no difference, nothing to decide. Conversion 1 against 0 over ~20 lists each
      // (above the minimum sample of 10): decided even by the sequential test.
      expect(a.metrics[0].vsControl).toMatchObject({ difference: 0, decision: 'NOT_SIGNIFICANT_YET' });
      expect(a.metrics[1].vsControl).toMatchObject({ difference: 1, decision: 'BETTER' });

      const stopped = await graphql<{ stopExperiment: Record<string, unknown> }>(second.subgraph.url, STOP, {
        variables: { name: NAME },
        headers: ADMIN,
      });
      expect(stopped.errors).toBeUndefined();
      expect(stopped.data!.stopExperiment).toMatchObject({
        status: 'STOPPED',
        active: false,
        stoppedBy: 'admin-1',
      });
      const after = await graphql<{ recommendations: WireList }>(second.subgraph.url, RECOMMENDATIONS, {
        variables: { userId: 'u1' },
        headers: SERVICE,
      });
      expect(after.data!.recommendations.experimentVariant).toBeNull();

      const listed = await graphql<{ experiments: { name: string; status: string }[] }>(
        second.subgraph.url,
        LIST,
        {
          variables: { status: 'STOPPED' },
          headers: ADMIN,
        },
      );
      expect(listed.data!.experiments).toEqual([{ name: NAME, status: 'STOPPED' }]);
      // The experiment that could not start may start now.
      const late = await graphql(second.subgraph.url, START, {
        variables: { name: 'home-ease-2026' },
        headers: ADMIN,
      });
      expect(late.errors).toBeUndefined();
      await graphql(second.subgraph.url, STOP, { variables: { name: 'home-ease-2026' }, headers: ADMIN });
    } finally {
      await second.subgraph.server.stop();
      await second.experiments.close();
    }
  });
});

describe('a subgraph without experiments', () => {
  it('serves lists in no experiment and answers the ADMIN fields SERVICE_UNAVAILABLE', async () => {
    const subgraph = await startSubgraph(sharedEngine(engine));
    try {
      const list = await graphql<{ recommendations: WireList }>(subgraph.url, RECOMMENDATIONS, {
        variables: { userId: 'u2' },
        headers: SERVICE,
      });
      expect(list.data!.recommendations.experimentVariant).toBeNull();
      const res: GraphQLResponse<unknown> = await graphql(subgraph.url, LIST, { headers: ADMIN });
      expect(errorCodes(res)).toEqual(['SERVICE_UNAVAILABLE']);
    } finally {
      await subgraph.server.stop();
    }
  });
});
