import {
  countDataset,
  createTestDatabase,
  ImportIssues,
  ImportValidationError,
  importDatasetRows,
  streamInteractions,
  streamServices,
  type DatasetRows,
  type TestDatabase,
} from '../src';

const T0 = Date.UTC(2026, 0, 1);

function sampleRows(): DatasetRows {
  return {
    providers: [{ id: 'p1', name: 'Provider One', source: { file: 'providers.csv', line: 2 } }],
    users: [
      { id: 'u1', age: 31, gender: 'F', country: 'DE', source: { file: 'users.csv', line: 2 } },
      { id: 'u2', role: 'ADMIN', source: { file: 'users.csv', line: 3 } },
    ],
    services: [
      {
        id: 's1',
        providerId: 'p1',
        name: 'Chat\tPro "large"\\x',
        description: 'multi\nline',
        categories: ['chat', 'agents'],
        tags: ['fast', 'with "quotes"', 'a,b'],
        pricingModel: 'SUBSCRIPTION',
        priceTier: 3,
        priceUsd: 20,
        freeTier: true,
        source: { file: 'items.csv', line: 2 },
      },
      { id: 's2', name: 'Embed', categories: [], source: { file: 'items.csv', line: 3 } },
    ],
    interactions: [
      { userId: 'u1', serviceId: 's1', type: 'RATING', value: 4.5, occurredAtMs: T0, idempotencyKey: 'k1' },
      {
        userId: 'u1',
        serviceId: 's2',
        type: 'CLICK',
        occurredAtMs: T0 + 1500,
        idempotencyKey: 'k2',
        context: { device: 'mobile', note: 'tab\there' },
        dwellMs: 1200,
      },
      { userId: 'u2', serviceId: 's1', type: 'VIEW', occurredAtMs: T0 + 3000, idempotencyKey: 'k3' },
    ],
    tagAssignments: [{ userId: 'u1', serviceId: 's1', tag: 'great', occurredAtMs: T0 }],
  };
}

describe('importDatasetRows against PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('stores every row, escaping text exactly, and a second import changes nothing', async () => {
    const first = await importDatasetRows(db.pool, sampleRows(), { datasetId: 'w1', source: 'test' });
    expect(first.users).toEqual({ read: 2, inserted: 2, updated: 0 });
    expect(first.services).toEqual({ read: 2, inserted: 2, updated: 0 });
    expect(first.interactions).toEqual({ read: 3, inserted: 3, updated: 0 });
    expect(first.tagAssignments.inserted).toBe(1);

    const second = await importDatasetRows(db.pool, sampleRows(), { datasetId: 'w1', source: 'test' });
    expect(second.users).toEqual({ read: 2, inserted: 0, updated: 0 });
    expect(second.services).toEqual({ read: 2, inserted: 0, updated: 0 });
    expect(second.interactions).toEqual({ read: 3, inserted: 0, updated: 0 });
    expect(second.tagAssignments.inserted).toBe(0);
    expect(await countDataset(db.pool, 'w1')).toEqual({
      users: 2,
      providers: 1,
      services: 2,
      interactions: 3,
      ratings: 1,
      tagAssignments: 1,
    });

    const services = [];
    for await (const s of streamServices(db.pool, 'w1')) services.push(s);
    expect(services[0]).toMatchObject({
      id: 's1',
      name: 'Chat\tPro "large"\\x',
      description: 'multi\nline',
      categories: ['chat', 'agents'],
      tags: ['fast', 'with "quotes"', 'a,b'],
      pricingModel: 'SUBSCRIPTION',
      priceTier: 3,
      priceUsd: 20,
      freeTier: true,
    });
    const ctx = await db.pool.query(
      `SELECT context, "dwellMs" FROM "Interaction" WHERE "idempotencyKey" = 'k2'`,
    );
    expect(ctx.rows[0]).toEqual({ context: { device: 'mobile', note: 'tab\there' }, dwellMs: 1200 });

    const events = [];
    for await (const batch of streamInteractions(db.pool, { datasetId: 'w1' })) events.push(...batch);
    expect(events).toEqual([
      ['u1', 's1', 'RATING', '4.5', String(T0)],
      ['u1', 's2', 'CLICK', '\\N', String(T0 + 1500)],
      ['u2', 's1', 'VIEW', '\\N', String(T0 + 3000)],
    ]);
  });

  it('counts a changed attribute as an update', async () => {
    const rows = sampleRows();
    rows.users = [{ id: 'u1', age: 32, gender: 'F', country: 'DE' }];
    const result = await importDatasetRows(db.pool, rows, { datasetId: 'w1', source: 'test' });
    expect(result.users).toEqual({ read: 1, inserted: 0, updated: 1 });
  });

  it('rejects unknown references and duplicates with file and line, leaving the database unchanged', async () => {
    const before = await countDataset(db.pool, 'w1');
    const rows = sampleRows();
    rows.services = [
      { id: 's1', name: 'A', source: { file: 'items.csv', line: 2 } },
      { id: 's1', name: 'B', source: { file: 'items.csv', line: 7 } },
    ];
    rows.interactions = [
      {
        userId: 'ghost',
        serviceId: 's1',
        type: 'CLICK',
        occurredAtMs: T0,
        idempotencyKey: 'new1',
        source: { file: 'events.csv', line: 4 },
      },
    ];
    const error = await importDatasetRows(db.pool, rows, { datasetId: 'w1', source: 'test' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportValidationError);
    const issues = (error as ImportValidationError).issues;
    expect(issues).toContainEqual({
      file: 'items.csv',
      line: 7,
      message: 'duplicate service id "s1" (first on line 2)',
    });
    expect(await countDataset(db.pool, 'w1')).toEqual(before);
  });

  it('rolls back when a parser reported a bad row', async () => {
    const issues = new ImportIssues();
    issues.add({ file: 'ratings.csv', line: 12 }, 'rating "x" is not a number');
    const error = await importDatasetRows(
      db.pool,
      {
        interactions: [
          { userId: 'n1', serviceId: 'n2', type: 'CLICK', occurredAtMs: T0, idempotencyKey: 'n' },
        ],
      },
      { datasetId: 'w2', source: 'test', issues },
    ).catch((e: unknown) => e);
    expect(String(error)).toContain('ratings.csv:12: rating "x" is not a number');
    expect(await countDataset(db.pool, 'w2')).toEqual({
      users: 0,
      providers: 0,
      services: 0,
      interactions: 0,
      ratings: 0,
      tagAssignments: 0,
    });
    const ds = await db.pool.query(`SELECT count(*)::int AS n FROM "Dataset" WHERE id = 'w2'`);
    expect(ds.rows[0].n).toBe(0);
  });

  it('creates bare users and services for ids that only events mention', async () => {
    const result = await importDatasetRows(
      db.pool,
      {
        interactions: [
          { userId: 'a', serviceId: 'x', type: 'CLICK', occurredAtMs: T0 + 5000, idempotencyKey: 'e1' },
          { userId: 'a', serviceId: 'y', type: 'CLICK', occurredAtMs: T0, idempotencyKey: 'e2' },
          { userId: 'a', serviceId: 'y', type: 'CLICK', occurredAtMs: T0, idempotencyKey: 'e2' },
        ],
      },
      { datasetId: 'w3', source: 'test' },
    );
    expect(result.interactions).toEqual({ read: 3, inserted: 2, updated: 0 });
    const counts = await countDataset(db.pool, 'w3');
    expect([counts.users, counts.services, counts.interactions]).toEqual([1, 2, 2]);
    const u = await db.pool.query(`SELECT "createdAt" FROM "User" WHERE "datasetId" = 'w3' AND id = 'a'`);
    expect((u.rows[0].createdAt as Date).getTime()).toBe(T0);
  });
});
