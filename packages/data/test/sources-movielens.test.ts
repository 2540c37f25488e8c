import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ImportIssues, type DatasetRows } from '@recsys/db';
import { datasetsDir } from '../src/sources/datasets-dir';
import { movieLens100k, readMovieLens100kFold } from '../src/sources/movielens-100k';
import { movieLensLatestSmall } from '../src/sources/movielens-latest-small';

async function collect<T>(stream: Iterable<T> | AsyncIterable<T> | undefined): Promise<T[]> {
  const out: T[] = [];
  if (stream) for await (const row of stream) out.push(row);
  return out;
}

/** Every stream of `rows`, read in the writer's order. */
async function readAll(rows: DatasetRows) {
  return {
    providers: await collect(rows.providers),
    users: await collect(rows.users),
    services: await collect(rows.services),
    interactions: await collect(rows.interactions),
    tagAssignments: await collect(rows.tagAssignments),
  };
}

describe('movieLens100k', () => {
  const dir = path.join(datasetsDir(), 'ml-100k');
  const source = movieLens100k(dir);
  const issues = new ImportIssues();
  let data: Awaited<ReturnType<typeof readAll>>;

  beforeAll(async () => {
    data = await readAll(source.rows(issues));
  });

  it('parses 943 users, 1,682 movies and 100,000 ratings without issues', () => {
    expect(issues.issues).toEqual([]);
    expect(data.users).toHaveLength(943);
    expect(data.services).toHaveLength(1682);
    expect(data.interactions).toHaveLength(100_000);
    expect(data.providers).toHaveLength(0);
    expect(data.tagAssignments).toHaveLength(0);
    expect(source.kind).toBe('movielens-100k');
    expect(source.datasetId).toBe('ml-100k');
  });

  it('decodes u.item as Latin-1', () => {
    const byId = new Map(data.services.map((s) => [s.id, s]));
    expect(byId.get('543')?.name).toBe('Misérables, Les (1995)');
    expect(byId.get('1633')?.name).toBe('Á köldum klaka (Cold Fever) (1994)');
    expect(byId.get('1104')?.name).toBe("C'est arrivé près de chez vous (1992)");
  });

  it('maps genre flags to category names, "unknown" to none', () => {
    const byId = new Map(data.services.map((s) => [s.id, s]));
    const toyStory = byId.get('1');
    expect(toyStory?.name).toBe('Toy Story (1995)');
    expect(toyStory?.categories).toEqual(['Animation', "Children's", 'Comedy']);
    expect(toyStory?.createdAtMs).toBe(Date.UTC(1995, 0, 1));
    expect(toyStory?.attributes).toEqual({
      releaseDate: '01-Jan-1995',
      imdbUrl: 'http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)',
    });
    expect(toyStory?.pricingModel).toBe('FREE');
    expect(byId.get('2')?.categories).toEqual(['Action', 'Adventure', 'Thriller']);
    expect(byId.get('1373')?.categories).toEqual([]);
    expect(byId.get('1373')?.createdAtMs).toBe(Date.UTC(1971, 1, 4)); // "4-Feb-1971"
    // Item 267 has no title, no date: it is created at its first rating.
    const unknown = byId.get('267');
    expect(unknown?.name).toBe('unknown');
    expect(unknown?.categories).toEqual([]);
    const firstRating = Math.min(
      ...data.interactions.filter((e) => e.serviceId === '267').map((e) => e.occurredAtMs),
    );
    expect(unknown?.createdAtMs).toBe(firstRating);
  });

  it('reads users with demographics, created at their first rating', () => {
    const first = data.users[0];
    expect(first).toMatchObject({
      id: '1',
      role: 'USER',
      age: 24,
      gender: 'M',
      occupation: 'technician',
      zipCode: '85711',
    });
    const firstRating = new Map<string, number>();
    for (const e of data.interactions)
      firstRating.set(e.userId, Math.min(firstRating.get(e.userId) ?? Infinity, e.occurredAtMs));
    expect(data.users.every((u) => u.createdAtMs === firstRating.get(u.id))).toBe(true);
    expect(data.users.filter((u) => u.gender === 'F')).toHaveLength(273);
  });

  it('turns u.data into RATING events with unique idempotency keys', () => {
    expect(data.interactions[0]).toMatchObject({
      userId: '196',
      serviceId: '242',
      type: 'RATING',
      value: 3,
      occurredAtMs: 881250949000,
      idempotencyKey: 'rating:196:242:881250949',
      source: { file: path.join(dir, 'u.data'), line: 1 },
    });
    expect(new Set(data.interactions.map((e) => e.idempotencyKey)).size).toBe(100_000);
    const histogram = [0, 0, 0, 0, 0];
    for (const e of data.interactions) histogram[(e.value ?? 0) - 1]++;
    expect(histogram).toEqual([6110, 11370, 27145, 34174, 21201]);
  });

  it('fingerprints the input bytes', async () => {
    const fp = await source.fingerprint();
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(await movieLens100k(dir).fingerprint()).toBe(fp);
    const expected = createHash('sha256');
    for (const name of ['u.data', 'u.item', 'u.user', 'u.genre']) {
      expected
        .update(name + '\0')
        .update(readFileSync(path.join(dir, name)))
        .update('\0');
    }
    expect(fp).toBe(expected.digest('hex'));
  });

  it('reads the canonical folds', async () => {
    const base = await collect(readMovieLens100kFold(dir, 1, 'base'));
    const test = await collect(readMovieLens100kFold(dir, 1, 'test'));
    expect(base).toHaveLength(80_000);
    expect(test).toHaveLength(20_000);
    expect(test[0]).toMatchObject({ userId: '1', itemId: '6', rating: 5, timestampSeconds: 887431973 });
    expect(await collect(readMovieLens100kFold(dir, 'a', 'test'))).toHaveLength(9430);
    expect(() => readMovieLens100kFold(dir, 6 as 1, 'test')).toThrow(RangeError);
  });
});

describe('movieLensLatestSmall', () => {
  const dir = path.join(datasetsDir(), 'ml-latest-small');
  const source = movieLensLatestSmall(dir);
  const issues = new ImportIssues();
  let data: Awaited<ReturnType<typeof readAll>>;

  beforeAll(async () => {
    data = await readAll(source.rows(issues));
  });

  it('parses 610 users, 9,742 movies, 100,836 ratings and 3,683 tags without issues', () => {
    expect(issues.issues).toEqual([]);
    expect(data.users).toHaveLength(610);
    expect(data.services).toHaveLength(9742);
    expect(data.interactions).toHaveLength(100_836);
    expect(data.tagAssignments).toHaveLength(3683);
    expect(source.kind).toBe('movielens-latest-small');
  });

  it('keeps half-star ratings and unique keys', () => {
    expect(data.interactions[0]).toMatchObject({
      userId: '1',
      serviceId: '1',
      type: 'RATING',
      value: 4,
      occurredAtMs: 964982703000,
    });
    expect(data.interactions.filter((e) => e.value === 3.5)).toHaveLength(13_136);
    expect(data.interactions.filter((e) => e.value === 0.5)).toHaveLength(1370);
    expect(new Set(data.interactions.map((e) => e.idempotencyKey)).size).toBe(100_836);
  });

  it('maps movies: genres, year, links, sorted distinct tags, quoted titles', () => {
    const byId = new Map(data.services.map((s) => [s.id, s]));
    expect(byId.get('1')).toMatchObject({
      name: 'Toy Story (1995)',
      categories: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'],
      tags: ['fun', 'pixar'],
      attributes: { year: 1995, imdbId: '0114709', tmdbId: '862' },
      createdAtMs: Date.UTC(1995, 0, 1),
    });
    expect(byId.get('60756')?.tags).toEqual(['Highly quotable', 'comedy', 'funny', 'will ferrell']);
    expect(byId.get('7789')?.name).toBe('11\'09"01 - September 11 (2002)');
    expect(byId.get('11')?.name).toBe('American President, The (1995)');
    const noGenres = data.services.filter((s) => s.categories?.length === 0);
    expect(noGenres).toHaveLength(34);
    expect(data.services.filter((s) => s.attributes?.year === null)).toHaveLength(12);
    expect(data.services.find((s) => s.name.startsWith('Death Note: Desu'))?.attributes?.year).toBe(2006);
    expect(data.services.filter((s) => s.attributes?.tmdbId === null)).toHaveLength(8);
    expect(data.services.some((s) => s.name !== s.name.trim())).toBe(false);
  });

  it('derives users from ratings and tags, created at their first event', () => {
    expect(data.users[0]).toEqual({
      id: '1',
      role: 'USER',
      createdAtMs: Math.min(...data.interactions.filter((e) => e.userId === '1').map((e) => e.occurredAtMs)),
    });
    const ids = new Set(data.users.map((u) => u.id));
    expect(data.tagAssignments.every((t) => ids.has(t.userId))).toBe(true);
  });

  it('reads tags with their line, quoted ones unquoted', () => {
    expect(data.tagAssignments[0]).toEqual({
      userId: '2',
      serviceId: '60756',
      tag: 'funny',
      occurredAtMs: 1445714994000,
      source: { file: path.join(dir, 'tags.csv'), line: 2 },
    });
    expect(data.tagAssignments.find((t) => t.userId === '567' && t.serviceId === '4552')?.tag).toBe(
      '"artsy"',
    );
  });
});
