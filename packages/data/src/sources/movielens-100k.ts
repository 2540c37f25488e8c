import path from 'node:path';
import {
  ImportIssues,
  type DatasetRows,
  type InteractionRow,
  type RowSource,
  type ServiceRow,
  type UserRow,
} from '@recsys/db';
import { eachRow, readDelimitedBatches, type TextRecord } from './csv-lines';
import { type DatasetSource } from './dataset-source';
import { datasetsDir } from './datasets-dir';
import { parseDayMonthYear, parseInteger, quoted } from './field-values';
import { fingerprintFiles } from './fingerprint';
import { FirstSeen, once } from './first-seen';

/** The `u.*` files of MovieLens 100K are ISO-8859-1, not UTF-8 (e.g. item 543 "Misérables, Les (1995)"). */
const ENCODING = 'latin1';
/** u.item: id, title, release date, video release date, IMDb URL, then one 0/1 flag per genre of u.genre. */
const ITEM_FIXED_FIELDS = 5;
const PIPE_FILE = { separator: '|', encoding: ENCODING } as const;
/** u.user: id, age, gender, occupation, zip code. */
const USER_FILE = { ...PIPE_FILE, fields: 5 } as const;
/** u.genre: name, index. */
const GENRE_FILE = { ...PIPE_FILE, fields: 2 } as const;
/** u.data and the split files: tab-separated user, item, rating 1-5, Unix seconds. */
const RATING_FILE = { separator: '\t', encoding: ENCODING, fields: 4 } as const;
/** The genre flag that means "no genre known"; it becomes no category rather than a category named "unknown". */
const UNKNOWN_GENRE = 'unknown';

export interface MovieLens100kOptions {
  /** Dataset id to import into; 'ml-100k' by default. */
  datasetId?: string;
}

/** One rating line of u.data or of a canonical split file. */
export interface MovieLensRating {
  userId: string;
  itemId: string;
  rating: number;
  timestampSeconds: number;
  source: RowSource;
}

export type MovieLens100kFold = 1 | 2 | 3 | 4 | 5 | 'a' | 'b';

function files(dir: string) {
  return {
    data: path.join(dir, 'u.data'),
    item: path.join(dir, 'u.item'),
    user: path.join(dir, 'u.user'),
    genre: path.join(dir, 'u.genre'),
  };
}

/** The files `movieLens100k` reads, for existence checks. */
export function movieLens100kFiles(dir: string): string[] {
  return Object.values(files(dir));
}

/**
 * MovieLens 100K as a dataset source: 943 users (u.user), 1,682 movies as services (u.item) and 100,000
 * RATING interactions (u.data).
 *
 * - A user's `createdAtMs` is the time of their first rating (u.data has no sign-up time).
 * - A movie's categories are the names (u.genre) of its set genre flags, except "unknown" (items 267 and 1373),
 *   which gives no category. Its `createdAtMs` is the release date (UTC midnight), else its first rating.
 * - Movies have no price: they are imported as `FREE`, price tier 0, no USD price, so that price-aware
 *   features see one uniform catalog instead of the writer's PAY_AS_YOU_GO default.
 * - The idempotency key `rating:<user>:<item>:<unix seconds>` is unique over the 100,000 ratings.
 */
export function movieLens100k(
  dir: string = path.join(datasetsDir(), 'ml-100k'),
  options: MovieLens100kOptions = {},
): DatasetSource {
  const f = files(dir);
  return {
    datasetId: options.datasetId ?? 'ml-100k',
    kind: 'movielens-100k',
    description: 'MovieLens 100K (GroupLens, 1998): 100,000 ratings 1-5 from 943 users on 1,682 movies',
    fingerprint: () => fingerprintFiles([f.data, f.item, f.user, f.genre]),
    rows(issues: ImportIssues): DatasetRows {
      // One quiet pass over u.data for first-rating times; its problems are reported by `interactions`.
      const firstSeen = once(async () => {
        const seen = new FirstSeen();
        for await (const batch of readDelimitedBatches(
          f.data,
          new ImportIssues(0),
          RATING_FILE,
          parseRating,
        )) {
          for (const r of batch) seen.see(r.userId, r.itemId, r.timestampSeconds * 1000);
        }
        return seen;
      });
      return {
        users: users(f.user, issues, firstSeen),
        services: services(f.item, f.genre, issues, firstSeen),
        interactions: eachRow(readDelimitedBatches(f.data, issues, RATING_FILE, ratingRow)),
      };
    },
  };
}

async function* users(
  file: string,
  issues: ImportIssues,
  firstSeen: () => Promise<FirstSeen>,
): AsyncGenerator<UserRow> {
  const seen = await firstSeen();
  yield* eachRow(
    readDelimitedBatches(file, issues, USER_FILE, ({ source, fields }): UserRow | undefined => {
      const [id, ageText, gender, occupation, zip] = fields;
      const age = parseInteger(ageText);
      if (parseInteger(id) === undefined)
        issues.add(source, `user id: expected an integer, got ${quoted(id)}`);
      else if (age === undefined || age < 0)
        issues.add(source, `age: expected a non-negative integer, got ${quoted(ageText)}`);
      else {
        return {
          id,
          role: 'USER',
          createdAtMs: seen.user(id),
          age,
          gender: gender || null,
          occupation: occupation || null,
          zipCode: zip || null,
          source,
        };
      }
      return undefined;
    }),
  );
}

/** The genre names of u.genre by flag position ("name|index" lines). */
async function readGenres(file: string, issues: ImportIssues): Promise<string[]> {
  const genres: string[] = [];
  const parseGenre = ({ source, fields }: TextRecord): true | undefined => {
    const index = parseInteger(fields[1]);
    if (index === undefined || index < 0 || fields[0] === '') {
      issues.add(source, `genre: expected "name|index", got ${quoted(fields.join('|'))}`);
      return undefined;
    }
    genres[index] = fields[0];
    return true;
  };
  for await (const _ of readDelimitedBatches(file, issues, GENRE_FILE, parseGenre));
  return genres;
}

async function* services(
  itemFile: string,
  genreFile: string,
  issues: ImportIssues,
  firstSeen: () => Promise<FirstSeen>,
): AsyncGenerator<ServiceRow> {
  const genres = await readGenres(genreFile, issues);
  const seen = await firstSeen();
  const parseItem = ({ source, fields }: TextRecord): ServiceRow | undefined => {
    const [id, title, releaseDate, , imdbUrl] = fields;
    if (parseInteger(id) === undefined) {
      issues.add(source, `movie id: expected an integer, got ${quoted(id)}`);
      return undefined;
    }
    const categories: string[] = [];
    for (let g = 0; g < genres.length; g++) {
      const flag = fields[ITEM_FIXED_FIELDS + g];
      if (flag !== '0' && flag !== '1') {
        issues.add(source, `genre flag ${genres[g]}: expected 0 or 1, got ${quoted(flag)}`);
        return undefined;
      }
      if (flag === '1' && genres[g] !== UNKNOWN_GENRE) categories.push(genres[g]);
    }
    const releasedMs = releaseDate === '' ? undefined : parseDayMonthYear(releaseDate);
    if (releaseDate !== '' && releasedMs === undefined) {
      issues.add(source, `release date: expected DD-Mon-YYYY, got ${quoted(releaseDate)}`);
      return undefined;
    }
    return {
      id,
      name: title,
      categories,
      pricingModel: 'FREE',
      priceTier: 0,
      priceUsd: null,
      freeTier: true,
      status: 'ACTIVE',
      createdAtMs: releasedMs ?? seen.item(id),
      attributes: { releaseDate: releaseDate || null, imdbUrl: imdbUrl || null },
      source,
    };
  };
  yield* eachRow(
    readDelimitedBatches(
      itemFile,
      issues,
      { ...PIPE_FILE, fields: ITEM_FIXED_FIELDS + genres.length },
      parseItem,
    ),
  );
}

/** One rating line, or undefined (reported) when a value is malformed. */
function parseRating({ source, fields }: TextRecord, issues: ImportIssues): MovieLensRating | undefined {
  const [userId, itemId, ratingText, tsText] = fields;
  const rating = parseInteger(ratingText);
  const ts = parseInteger(tsText);
  if (parseInteger(userId) === undefined)
    issues.add(source, `user id: expected an integer, got ${quoted(userId)}`);
  else if (parseInteger(itemId) === undefined)
    issues.add(source, `item id: expected an integer, got ${quoted(itemId)}`);
  else if (rating === undefined || rating < 1 || rating > 5) {
    issues.add(source, `rating: expected an integer 1-5, got ${quoted(ratingText)}`);
  } else if (ts === undefined) issues.add(source, `timestamp: expected Unix seconds, got ${quoted(tsText)}`);
  else return { userId, itemId, rating, timestampSeconds: ts, source };
  return undefined;
}

function ratingRow(record: TextRecord, issues: ImportIssues): InteractionRow | undefined {
  const r = parseRating(record, issues);
  if (r === undefined) return undefined;
  return {
    userId: r.userId,
    serviceId: r.itemId,
    type: 'RATING',
    value: r.rating,
    occurredAtMs: r.timestampSeconds * 1000,
    idempotencyKey: `rating:${r.userId}:${r.itemId}:${r.timestampSeconds}`,
    source: r.source,
  };
}

/** The ratings of a u.data-format file; bad lines are reported to `issues` and skipped. */
export function readMovieLensRatings(file: string, issues: ImportIssues): AsyncGenerator<MovieLensRating> {
  return eachRow(readDelimitedBatches(file, issues, RATING_FILE, parseRating));
}

/**
 * One canonical split file of MovieLens 100K: `u1`..`u5` are GroupLens's 5-fold cross-validation (disjoint
 * 20,000-rating test sets), `ua`/`ub` hold out exactly 10 ratings per user. `part` picks `.base` (training)
 * or `.test`. Problems go to `issues` (by default a collector nobody reads).
 */
export function readMovieLens100kFold(
  dir: string,
  fold: MovieLens100kFold,
  part: 'base' | 'test',
  issues: ImportIssues = new ImportIssues(),
): AsyncGenerator<MovieLensRating> {
  if (![1, 2, 3, 4, 5, 'a', 'b'].includes(fold)) {
    throw new RangeError(`MovieLens 100K fold must be 1-5, 'a' or 'b', got ${String(fold)}`);
  }
  if (part !== 'base' && part !== 'test') {
    throw new RangeError(`MovieLens 100K split part must be 'base' or 'test', got ${String(part)}`);
  }
  return readMovieLensRatings(path.join(dir, `u${fold}.${part}`), issues);
}
