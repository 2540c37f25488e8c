import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { countDataset, createTestDatabase, type TestDatabase } from '@recsys/db';
import { ExitCode, runCli } from '../src';
import { testContext } from './support/test-context';

describe('recsys data import (real PostgreSQL)', () => {
  let db: TestDatabase;
  let tmp: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'recsys-cli-'));
  });
  afterAll(async () => {
    await db.drop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('imports MovieLens 100K exactly, and a second import changes nothing', async () => {
    const ctx = testContext(db.pool);
    expect(await runCli(['data', 'import', 'ml-100k'], ctx)).toBe(ExitCode.OK);
    expect(await countDataset(db.pool, 'ml-100k')).toEqual({
      users: 943,
      providers: 0,
      services: 1682,
      interactions: 100000,
      ratings: 100000,
      tagAssignments: 0,
    });
    const again = testContext(db.pool);
    expect(await runCli(['data', 'import', 'ml-100k', '--json'], again)).toBe(ExitCode.OK);
    const result = JSON.parse(again.stdout[0]) as Record<
      string,
      { read: number; inserted: number; updated: number }
    >;
    expect(result.interactions).toEqual({ read: 100000, inserted: 0, updated: 0 });
    expect(result.users).toEqual({ read: 943, inserted: 0, updated: 0 });
    expect(result.services).toEqual({ read: 1682, inserted: 0, updated: 0 });
    expect((await countDataset(db.pool, 'ml-100k')).interactions).toBe(100000);
    // u.item is Latin-1: titles keep their accents.
    const title = await db.pool.query(
      `SELECT name FROM "Service" WHERE "datasetId" = 'ml-100k' AND name LIKE 'Misérables%'`,
    );
    expect(title.rowCount).toBeGreaterThan(0);
  });

  it('imports ml-latest-small with its tag assignments', async () => {
    const ctx = testContext(db.pool);
    expect(await runCli(['data', 'import', 'ml-latest-small'], ctx)).toBe(ExitCode.OK);
    expect(await countDataset(db.pool, 'ml-latest-small')).toEqual({
      users: 610,
      providers: 0,
      services: 9742,
      interactions: 100836,
      ratings: 100836,
      tagAssignments: 3683,
    });
  });

  it('rejects a file with a broken row, naming its line, and writes nothing', async () => {
    const file = path.join(tmp, 'interactions.csv');
    await writeFile(
      file,
      'user,item,rating,timestamp\nalice,svc1,4,1700000000\nbob,svc2,five,1700000001\ncarol,svc1,3,1700000002\n',
    );
    const ctx = testContext(db.pool);
    expect(await runCli(['data', 'import', `file:${file}`, '--dataset-id', 'broken'], ctx)).toBe(
      ExitCode.INVALID_INPUT,
    );
    const message = ctx.stderrLines.join('\n');
    expect(message).toContain(`${file}:3`);
    expect(message).toMatch(/rating/);
    const exists = await db.pool.query(`SELECT 1 FROM "Dataset" WHERE id = 'broken'`);
    expect(exists.rowCount).toBe(0);
  });

  it('imports a generic CSV with items beside it, idempotently', async () => {
    const dir = path.join(tmp, 'acme');
    await rm(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(dir));
    await writeFile(
      path.join(dir, 'events.csv'),
      'user,item,rating,timestamp,type\nu1,chat-pro,,2026-01-02T03:04:05Z,click\nu1,chat-pro,5,1767323045,rating\nu2,embed-xl,,1767323046,api_call\n',
    );
    await writeFile(
      path.join(dir, 'items.csv'),
      'item,title,categories,tags,text\nchat-pro,Chat Pro,chat|agents,fast|cheap,A chat model\nembed-xl,Embed XL,embeddings,,Vectors\n',
    );
    for (let run = 0; run < 2; run++) {
      const ctx = testContext(db.pool);
      expect(
        await runCli(['data', 'import', `file:${path.join(dir, 'events.csv')}`, '--dataset-id', 'acme'], ctx),
      ).toBe(ExitCode.OK);
    }
    expect(await countDataset(db.pool, 'acme')).toMatchObject({
      users: 2,
      services: 2,
      interactions: 3,
      ratings: 1,
    });
    const svc = await db.pool.query(
      `SELECT categories, tags FROM "Service" WHERE "datasetId" = 'acme' AND id = 'chat-pro'`,
    );
    expect(svc.rows[0]).toEqual({ categories: ['chat', 'agents'], tags: ['fast', 'cheap'] });
  });

  it('names a missing file (exit 4) and an unknown source (exit 2)', async () => {
    const missing = testContext(db.pool);
    expect(await runCli(['data', 'import', 'file:/no/such/file.csv'], missing)).toBe(ExitCode.NOT_FOUND);
    expect(missing.stderrLines.join('\n')).toContain('/no/such/file.csv');
    const unknown = testContext(db.pool);
    expect(await runCli(['data', 'import', 'netflix-prize'], unknown)).toBe(ExitCode.USAGE);
    expect(unknown.stderrLines.join('\n')).toContain('netflix-prize');
    const badId = testContext(db.pool);
    expect(await runCli(['data', 'import', 'ml-100k', '--dataset-id', 'no spaces'], badId)).toBe(
      ExitCode.USAGE,
    );
  });

  it('lists, shows and deletes datasets', async () => {
    const list = testContext(db.pool);
    expect(await runCli(['data', 'list', '--json'], list)).toBe(ExitCode.OK);
    const ids = (JSON.parse(list.stdout[0]) as { id: string }[]).map((d) => d.id);
    expect(ids).toEqual(expect.arrayContaining(['ml-100k', 'ml-latest-small', 'acme']));
    expect(await runCli(['data', 'delete', 'acme'], testContext(db.pool))).toBe(ExitCode.OK);
    expect(await runCli(['data', 'stats', 'acme'], testContext(db.pool))).toBe(ExitCode.NOT_FOUND);
  });
});
