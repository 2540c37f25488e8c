import {
  ExperimentStore,
  experimentResults,
  prismaExposureSink,
  summarizeResults,
  type Experiment,
  type ExposureInput,
  type VariantCounts,
} from '../src';
import { experimentsDatabase, registerVersion, twoArms, type ExperimentsDatabase } from './support/database';

/*
 * Per-variant results from exposures joined with the interactions that carry their requestId, in
 * PostgreSQL, checked against counts and statistics worked out by hand (reference values: Python's
 * statistics.NormalDist, see statistics.test.ts).
 */

let database: ExperimentsDatabase;
let experiment: Experiment;

const DATASET = 'marketplace';
const LISTS = 40;

beforeAll(async () => {
  database = await experimentsDatabase();
  const { prisma } = database;
  await registerVersion(prisma, 'als', 1);
  await registerVersion(prisma, 'ease', 1);
  experiment = await new ExperimentStore({ prisma }).create(
    twoArms('judged', 'home', 'als@1', {
      guardrailMetrics: ['conversion', 'engagement'],
      minSampleSize: 30,
      variants: [
        { name: 'control', share: 0.5, policy: 'production' },
        { name: 'treatment', share: 0.5, modelVersion: 'als@1' },
        { name: 'shadow-ease', share: 0.2, modelVersion: 'ease@1', shadow: true },
      ],
    }),
    'admin-1',
  );

  const users = [
    ...Array.from({ length: LISTS }, (_, i) => `c${i}`),
    ...Array.from({ length: LISTS }, (_, i) => `t${i}`),
  ];
  await prisma.dataset.createMany({ data: [DATASET, 'other'].map((id) => ({ id, source: 'test' })) });
  await prisma.user.createMany({ data: users.map((id) => ({ datasetId: DATASET, id })) });
  await prisma.user.create({ data: { datasetId: 'other', id: 'c11' } });
  await prisma.service.createMany({
    data: ['s1', 's2'].flatMap((id) => [DATASET, 'other'].map((datasetId) => ({ datasetId, id, name: id }))),
  });

  // 40 shown lists per variant (2 items each), and the shadow's scored lists for 10 treatment requests.
  const exposure = (position: number, user: string, requestId: string, shown: boolean): ExposureInput => ({
    experimentId: experiment.id,
    variantId: experiment.variants[position].id,
    userId: user,
    requestId,
    placement: 'home',
    modelVersionId: experiment.variants[position].modelVersionId,
    modelVersion: 'als@1',
    shown,
    assignmentProbability: experiment.variants[position].share,
    items: [
      { serviceId: 's1', position: 1, score: 0.9, propensity: 1 },
      { serviceId: 's2', position: 2, score: 0.4, propensity: 1 },
    ],
    servedAt: new Date('2026-11-27T10:00:00Z'),
  });
  const exposures: ExposureInput[] = [];
  for (let i = 0; i < LISTS; i++) {
    exposures.push(exposure(0, `c${i}`, `r-c-${i}`, true), exposure(1, `t${i}`, `r-t-${i}`, true));
  }
  for (let i = 0; i < 10; i++) exposures.push(exposure(2, `t${i}`, `r-t-${i}`, false));
  await prismaExposureSink(prisma, DATASET).insert(exposures);

  // Outcomes. Control: clicks on lists 0-3 (two on list 0), a subscription (0) and a purchase (1), API
  // calls on lists 5, 6, 7 (2 + 2 + 1). Treatment: clicks on lists 0-11, a purchase (3), one API call on
  // each of lists 0-5. Noise that must not count: another user's click carrying r-c-10, and a click in
  // another dataset carrying r-c-11.
  type Event = [
    dataset: string,
    user: string,
    request: string,
    type: 'CLICK' | 'SUBSCRIBE' | 'PURCHASE' | 'API_CALL',
  ];
  const events: Event[] = [];
  for (let i = 0; i < 4; i++) events.push([DATASET, `c${i}`, `r-c-${i}`, 'CLICK']);
  events.push(
    [DATASET, 'c0', 'r-c-0', 'CLICK'],
    [DATASET, 'c0', 'r-c-0', 'SUBSCRIBE'],
    [DATASET, 'c1', 'r-c-1', 'PURCHASE'],
  );
  for (const [i, calls] of [
    [5, 2],
    [6, 2],
    [7, 1],
  ]) {
    for (let k = 0; k < calls; k++) events.push([DATASET, `c${i}`, `r-c-${i}`, 'API_CALL']);
  }
  for (let i = 0; i < 12; i++) events.push([DATASET, `t${i}`, `r-t-${i}`, 'CLICK']);
  events.push([DATASET, 't3', 'r-t-3', 'PURCHASE']);
  for (let i = 0; i < 6; i++) events.push([DATASET, `t${i}`, `r-t-${i}`, 'API_CALL']);
  events.push([DATASET, 't0', 'r-c-10', 'CLICK'], ['other', 'c11', 'r-c-11', 'CLICK']);
  await prisma.interaction.createMany({
    data: events.map(([datasetId, userId, requestId, type], k) => ({
      datasetId,
      userId,
      serviceId: 's1',
      type,
      requestId,
      occurredAt: new Date('2026-11-27T10:05:00Z'),
      idempotencyKey: `event-${k}`,
    })),
  });
});

afterAll(async () => {
  await database?.close();
});

describe('experimentResults', () => {
  it('counts exposures and their outcomes per variant, and compares each with the control', async () => {
    const results = await experimentResults(database.prisma, experiment, {
      now: new Date('2026-11-27T12:00:00Z'),
    });
    expect(results.control).toBe('control');
    expect(results.guardrailViolations).toEqual([]);
    const [control, treatment, shadow] = results.variants;
    expect(control).toMatchObject({
      variant: 'control',
      shown: true,
      exposures: 40,
      users: 40,
      items: 80,
      apiCalls: 5,
    });
    expect(treatment).toMatchObject({
      variant: 'treatment',
      shown: true,
      exposures: 40,
      users: 40,
      items: 80,
      apiCalls: 6,
    });
    expect(shadow).toEqual({
      variant: 'shadow-ease',
      shown: false,
      exposures: 10,
      users: 10,
      items: 20,
      apiCalls: 6, // the outcomes of the shown lists it was scored beside
      metrics: [],
    });

    const metric = (v: typeof control, name: string) => v.metrics.find((m) => m.metric === name)!;
    expect(control.metrics.map((m) => [m.metric, m.role, m.successes, m.trials, m.rate])).toEqual([
      ['ctr', 'primary', 4, 40, 0.1],
      ['conversion', 'guardrail', 2, 40, 0.05],
      ['engagement', 'guardrail', 3, 40, 0.075],
    ]);
    expect(treatment.metrics.map((m) => [m.metric, m.successes, m.trials, m.rate])).toEqual([
      ['ctr', 12, 40, 0.3],
      ['conversion', 1, 40, 0.025],
      ['engagement', 6, 40, 0.15],
    ]);
    expect(metric(control, 'ctr').vsControl).toBeNull();
    expect(metric(control, 'ctr').interval.low).toBeCloseTo(0.03957952868260638, 10);
    expect(metric(treatment, 'ctr').interval.high).toBeCloseTo(0.45430018818144935, 10);

    const ctr = metric(treatment, 'ctr').vsControl!;
    expect(ctr.difference).toBeCloseTo(0.2, 12);
    expect(ctr.relativeLift).toBeCloseTo(2, 12);
    expect(ctr.zScore).toBeCloseTo(Math.sqrt(5), 10); // pooled 0.2: 0.2 / √(0.2·0.8·(2/40))
    expect(ctr.pValue).toBeCloseTo(0.025347318677468422, 10);
    // Fixed-horizon "significant", but 40 lists are far from what the sequential test needs.
    expect(ctr.alwaysValidPValue).toBeCloseTo(0.973815654663787, 10);
    expect(ctr.alwaysValidInterval).toEqual({ low: -1, high: 1 });
    expect(ctr.decision).toBe('not_significant_yet');
    expect(metric(treatment, 'conversion').vsControl!.pValue).toBeCloseTo(0.5562035203377826, 10);
    expect(metric(treatment, 'engagement').guardrailViolated).toBe(false);
  });
});

describe('summarizeResults', () => {
  const counts = (exposures: number, clicked: number, converted: number, engaged: number): VariantCounts => ({
    exposures,
    users: exposures,
    items: exposures * 10,
    clicked,
    converted,
    engaged,
    apiCalls: engaged,
  });

  it('flags a guardrail a variant makes significantly worse, while its primary metric wins', () => {
    const [control, treatment, shadow] = experiment.variants;
    const results = summarizeResults(
      experiment,
      new Map([
        [control.id, counts(5000, 500, 600, 400)],
        [treatment.id, counts(5000, 640, 500, 410)],
        [shadow.id, counts(1000, 0, 0, 0)],
      ]),
    );
    const variant = results.variants[1];
    const ctr = variant.metrics[0];
    expect(ctr.vsControl!.decision).toBe('better');
    expect(ctr.vsControl!.alwaysValidPValue).toBeCloseTo(0.001837544551245016, 10);
    const conversion = variant.metrics.find((m) => m.metric === 'conversion')!;
    expect(conversion.vsControl!.alwaysValidPValue).toBeCloseTo(0.04793973191441648, 10);
    expect(conversion.vsControl!.decision).toBe('worse');
    expect(conversion.guardrailViolated).toBe(true);
    expect(variant.metrics.find((m) => m.metric === 'engagement')!.guardrailViolated).toBe(false);
    expect(results.guardrailViolations).toEqual(['treatment']);
  });

  it('reports zero exposures without dividing by zero', () => {
    const results = summarizeResults(experiment, new Map());
    const ctr = results.variants[1].metrics[0];
    expect(ctr).toMatchObject({ successes: 0, trials: 0, rate: 0, interval: { low: 0, high: 1 } });
    expect(ctr.vsControl).toMatchObject({
      pValue: 1,
      alwaysValidPValue: 1,
      relativeLift: null,
      decision: 'not_significant_yet',
    });
  });
});
