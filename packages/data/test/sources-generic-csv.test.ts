import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImportIssues, type InteractionRow } from '@recsys/db';
import { DatasetSourceError } from '../src/sources/dataset-source';
import { parseTimestampMs } from '../src/sources/field-values';
import { genericCsv, genericCsvDatasetId } from '../src/sources/generic-csv';
import { resolveSource } from '../src/sources/resolve-source';

async function collect<T>(stream: Iterable<T> | AsyncIterable<T> | undefined): Promise<T[]> {
  const out: T[] = [];
  if (stream) for await (const row of stream) out.push(row);
  return out;
}

let dir: string;
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
};

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'recsys-sources-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('genericCsv', () => {
  it('reads interactions, items and users', async () => {
    const interactions = write(
      'acme/interactions.csv',
      [
        'user,item,rating,timestamp,type,device',
        'u1,gpt-x,4.5,1700000000,,desktop',
        'u1,embed-1,,2024-03-01T12:00:00Z,api_call,',
        'u2,gpt-x,,,,mobile',
        'u2,"vision, pro",,1700000100.5,API-Call,',
        'u3,embed-1,5,2024-03-02,Review,',
      ].join('\n') + '\n',
    );
    const items = write(
      'acme/items.csv',
      'item,title,categories,tags,text,vendor\r\n' +
        'gpt-x,GPT X,chat|code,fast| streaming |fast,"A chat model, ""multi-line""\nsecond line",Orion\r\n' +
        'embed-1,,embeddings,,,\r\n' +
        '"vision, pro",Vision Pro,image,,,\r\n',
    );
    const users = write(
      'acme/users.csv',
      'User,Age,Country,Role,team\nu1,31,DE,admin,ml\nu2,,US,,\nu3,19,,Provider,\n',
    );
    const source = genericCsv({ interactions, items, users });
    expect(source.kind).toBe('generic-csv');
    expect(source.datasetId).toBe('acme');
    const issues = new ImportIssues();
    const rows = source.rows(issues);
    const u = await collect(rows.users);
    const s = await collect(rows.services);
    const e = await collect(rows.interactions);
    expect(issues.issues).toEqual([]);

    expect(u).toEqual([
      expect.objectContaining({
        id: 'u1',
        age: 31,
        country: 'DE',
        role: 'ADMIN',
        attributes: { team: 'ml' },
      }),
      expect.objectContaining({ id: 'u2', age: null, country: 'US', role: 'USER', attributes: null }),
      expect.objectContaining({ id: 'u3', age: 19, country: null, role: 'PROVIDER' }),
    ]);
    expect(s).toEqual([
      expect.objectContaining({
        id: 'gpt-x',
        name: 'GPT X',
        categories: ['chat', 'code'],
        tags: ['fast', 'streaming'],
        description: 'A chat model, "multi-line"\nsecond line',
        attributes: { vendor: 'Orion' },
        source: { file: items, line: 2 },
      }),
      expect.objectContaining({
        id: 'embed-1',
        name: 'embed-1',
        categories: ['embeddings'],
        tags: [],
        description: null,
      }),
      // The quoted field with a line break above pushes this record to line 5.
      expect.objectContaining({ id: 'vision, pro', name: 'Vision Pro', source: { file: items, line: 5 } }),
    ]);

    const pick = ({ userId, serviceId, type, value, occurredAtMs, context }: InteractionRow) => ({
      userId,
      serviceId,
      type,
      value,
      occurredAtMs,
      context,
    });
    expect(e.map(pick)).toEqual([
      {
        userId: 'u1',
        serviceId: 'gpt-x',
        type: 'RATING',
        value: 4.5,
        occurredAtMs: 1_700_000_000_000,
        context: { device: 'desktop' },
      },
      {
        userId: 'u1',
        serviceId: 'embed-1',
        type: 'API_CALL',
        value: null,
        occurredAtMs: Date.UTC(2024, 2, 1, 12),
        context: null,
      },
      // No timestamp: its line number in seconds after the epoch.
      {
        userId: 'u2',
        serviceId: 'gpt-x',
        type: 'CLICK',
        value: null,
        occurredAtMs: 4000,
        context: { device: 'mobile' },
      },
      {
        userId: 'u2',
        serviceId: 'vision, pro',
        type: 'API_CALL',
        value: null,
        occurredAtMs: 1_700_000_100_500,
        context: null,
      },
      {
        userId: 'u3',
        serviceId: 'embed-1',
        type: 'REVIEW',
        value: 5,
        occurredAtMs: Date.UTC(2024, 2, 2),
        context: null,
      },
    ]);
    expect(e.map((x) => x.source?.line)).toEqual([2, 3, 4, 5, 6]);
    expect(new Set(e.map((x) => x.idempotencyKey)).size).toBe(5);

    // Re-reading gives the same keys (a re-import is a no-op); the fingerprint is stable.
    const again = await collect(source.rows(new ImportIssues()).interactions);
    expect(again.map((x) => x.idempotencyKey)).toEqual(e.map((x) => x.idempotencyKey));
    expect(await source.fingerprint()).toBe(await genericCsv({ interactions, items, users }).fingerprint());
    expect(await source.fingerprint()).not.toBe(await genericCsv({ interactions }).fingerprint());
  });

  it('reports every malformed record with its file, line, column and value, and skips it', async () => {
    const interactions = write(
      'events.csv',
      [
        'user,item,rating,timestamp,type', // 1
        'u1,i1,4,1700000000,', // 2 ok
        'u1,i2,four,1700000000,', // 3 rating
        ',i3,3,1700000000,', // 4 empty user
        'u2,,3,1700000000,', // 5 empty item
        'u2,i1,3,yesterday,', // 6 timestamp
        'u2,i1,,1700000000,teleport', // 7 type
        'u2,i1,,1700000000,rating', // 8 rating without value
        'u2,i1,3,1700000000', // 9 too few fields
        '', // 10 blank: ignored
        'u3,"i4, quoted",2,1700000000,view,extra', // 11 too many fields
        'u3,"multi', // 12-13 a quoted line break: one record
        'line",2,1700000000,view',
        'u3,i5,NaN,1700000000,', // 14 rating
        'u3,i5,3,2024-13-45T00:00:00Z,', // 15 timestamp (invalid date)
        'u4,i6,1,1700000000,Favorite', // 16 ok
      ].join('\n'),
    );
    const issues = new ImportIssues();
    const rows = await collect(genericCsv({ interactions }).rows(issues).interactions);
    expect(rows.map((r) => [r.source?.line, r.serviceId, r.type])).toEqual([
      [2, 'i1', 'RATING'],
      [12, 'multi\nline', 'VIEW'],
      [16, 'i6', 'FAVORITE'],
    ]);
    expect(issues.issues.map((i) => [i.file, i.line, i.message])).toEqual([
      [interactions, 3, 'column "rating": expected a number, got "four"'],
      [interactions, 4, 'column "user": empty id'],
      [interactions, 5, 'column "item": empty id'],
      [interactions, 6, 'column "timestamp": expected Unix seconds or ISO-8601, got "yesterday"'],
      [
        interactions,
        7,
        'column "type": unknown interaction type "teleport" (expected one of impression, view, click, api_call, subscribe, favorite, rating, review, purchase)',
      ],
      [interactions, 8, 'column "rating": a rating event needs a rating, the value is empty'],
      [interactions, 9, 'expected 5 fields (user,item,rating,timestamp,type), found 4'],
      [interactions, 11, 'expected 5 fields (user,item,rating,timestamp,type), found 6'],
      [interactions, 14, 'column "rating": expected a number, got "NaN"'],
      [interactions, 15, 'column "timestamp": expected Unix seconds or ISO-8601, got "2024-13-45T00:00:00Z"'],
    ]);
    expect(issues.count).toBe(10);
  });

  it('reports a header without a required column, bad users and unreadable quoting', async () => {
    const noItem = write('a/interactions.csv', 'user,thing\nu1,i1\n');
    const issues = new ImportIssues();
    expect(await collect(genericCsv({ interactions: noItem }).rows(issues).interactions)).toEqual([]);
    expect(issues.issues).toEqual([
      { file: noItem, line: 1, message: 'missing column "item" (the header has "user", "thing")' },
    ]);

    const users = write('b/users.csv', 'user,age,role\nu1,abc,\nu2,30,owner\n,3,\nu3,40,admin\n');
    const userIssues = new ImportIssues();
    const parsed = await collect(genericCsv({ interactions: noItem, users }).rows(userIssues).users);
    expect(parsed.map((u) => u.id)).toEqual(['u3']);
    expect(userIssues.issues.map((i) => [i.line, i.message])).toEqual([
      [2, 'column "age": expected an integer 0-150, got "abc"'],
      [3, 'column "role": unknown role "owner" (expected user, provider, admin)'],
      [4, 'column "user": empty id'],
    ]);

    const badQuote = write('c/events.csv', 'user,item\nu1,i1\nu2,"i2\nu3,i3\n');
    const quoteIssues = new ImportIssues();
    await collect(genericCsv({ interactions: badQuote }).rows(quoteIssues).interactions);
    expect(quoteIssues.issues).toEqual([
      { file: badQuote, line: 3, message: expect.stringMatching(/^unreadable CSV record: Quote Not Closed/) },
    ]);

    // A header that does not fit stops the read: the broken quote further down is never reached.
    const badHeader = write('e/events.csv', 'who,what\nu1,i1\nu2,"i2\nu3,i3\n');
    const headerIssues = new ImportIssues();
    const none = await collect(genericCsv({ interactions: badHeader }).rows(headerIssues).interactions);
    expect(none).toEqual([]);
    expect(headerIssues.issues).toHaveLength(1);
    expect(headerIssues.issues[0]).toMatchObject({ file: badHeader, line: 1 });

    const empty = write('d/events.csv', '');
    const emptyIssues = new ImportIssues();
    await collect(genericCsv({ interactions: empty }).rows(emptyIssues).interactions);
    expect(emptyIssues.issues).toEqual([
      { file: empty, line: 0, message: 'empty file: expected a header row' },
    ]);
  });

  it('collapses identical timed records into one event, keeps untimed ones apart', async () => {
    const interactions = write(
      'events.csv',
      'user,item,timestamp\nu1,i1,1700000000\nu1,i1,1700000000\nu1,i1,\nu1,i1,\n',
    );
    const rows = await collect(genericCsv({ interactions }).rows(new ImportIssues()).interactions);
    expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(3);
  });

  it('names the dataset after the folder for generic file names', () => {
    expect(genericCsvDatasetId('/data/Acme Corp/interactions.csv')).toBe('acme-corp');
    expect(genericCsvDatasetId('/data/x/clicks_2024.csv')).toBe('clicks_2024');
  });
});

describe('parseTimestampMs', () => {
  it('reads Unix seconds and ISO-8601, zone-less as UTC', () => {
    expect(parseTimestampMs('0')).toBe(0);
    expect(parseTimestampMs('964982703')).toBe(964_982_703_000);
    expect(parseTimestampMs('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
    expect(parseTimestampMs('2024-03-01 10:30')).toBe(Date.UTC(2024, 2, 1, 10, 30));
    expect(parseTimestampMs('2024-03-01T10:30:00+02:00')).toBe(Date.UTC(2024, 2, 1, 8, 30));
    expect(parseTimestampMs('2024-03-01T10:30:00.250Z')).toBe(Date.UTC(2024, 2, 1, 10, 30, 0, 250));
    expect(parseTimestampMs('03/01/2024')).toBeUndefined();
    expect(parseTimestampMs('')).toBeUndefined();
  });
});

describe('resolveSource', () => {
  it('resolves the named sources', () => {
    expect(resolveSource('ml-100k').kind).toBe('movielens-100k');
    expect(resolveSource('ml-latest-small', { datasetId: 'mls' }).datasetId).toBe('mls');
    const synthetic = resolveSource('synthetic', {
      synthetic: { users: 10, services: 5, interactions: 100 },
    });
    expect(synthetic.kind).toBe('synthetic');
    expect(synthetic.datasetId).toBe('synthetic');
  });

  it('uses items.csv and users.csv beside a file: source', async () => {
    const interactions = write('shop/interactions.csv', 'user,item\nu1,i1\n');
    write('shop/items.csv', 'item,title\ni1,One\n');
    const source = resolveSource(`file:${interactions}`);
    expect(source.kind).toBe('generic-csv');
    expect(source.datasetId).toBe('shop');
    const rows = source.rows(new ImportIssues());
    expect(rows.users).toBeUndefined();
    expect((await collect(rows.services)).map((s) => s.name)).toEqual(['One']);
    const relative = resolveSource('file:shop/interactions.csv', { cwd: dir });
    expect(await relative.fingerprint()).toBe(await source.fingerprint());
  });

  it('fails clearly on unknown specs and missing files', () => {
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (error) {
        return error instanceof DatasetSourceError ? `${error.code}: ${error.message}` : String(error);
      }
      return undefined;
    };
    expect(codeOf(() => resolveSource('ml-1m'))).toBe(
      'SOURCE_UNKNOWN: unknown dataset source "ml-1m": expected one of ml-100k, ml-latest-small, synthetic, file:PATH',
    );
    expect(codeOf(() => resolveSource('file:'))).toMatch(/^SOURCE_UNKNOWN: /);
    expect(codeOf(() => resolveSource('file:nope.csv', { cwd: dir }))).toBe(
      `SOURCE_FILE_MISSING: source "file:nope.csv": missing file ${path.join(dir, 'nope.csv')}`,
    );
    expect(codeOf(() => resolveSource('ml-100k', { datasetsDir: dir }))).toMatch(
      /^SOURCE_FILE_MISSING: source "ml-100k": missing files .*u\.data, .*u\.item, .*u\.user, .*u\.genre$/,
    );
    expect(codeOf(() => resolveSource('synthetic', { synthetic: { users: 0 } }))).toBe(
      'SOURCE_INVALID_OPTIONS: synthetic marketplace: users must be an integer ≥ 1, got 0',
    );
  });
});
