import path from 'node:path';
import {
  ImportIssues,
  type DatasetRows,
  type InteractionRow,
  type JsonObject,
  type ServiceRow,
  type TagAssignmentRow,
  type UserRow,
} from '@recsys/db';
import { eachRow, readCsvTable, type CsvColumnSpec, type CsvRow } from './csv-lines';
import { type DatasetSource } from './dataset-source';
import { datasetsDir } from './datasets-dir';
import { parseInteger, parseNumber, quoted, splitList } from './field-values';
import { fingerprintFiles } from './fingerprint';
import { FirstSeen, once } from './first-seen';

/** movies.csv's genre value for a movie without genres: it becomes no category. */
const NO_GENRES = '(no genres listed)';
/** The release year at the end of a title: "Toy Story (1995)", "Death Note: Desu nôto (2006–2007)". */
const TITLE_YEAR = /\((\d{4})(?:\s*[-–]\s*\d{4})?\)\s*$/;

export interface MovieLensLatestSmallOptions {
  /** Dataset id to import into; 'ml-latest-small' by default. */
  datasetId?: string;
}

function files(dir: string) {
  return {
    ratings: path.join(dir, 'ratings.csv'),
    movies: path.join(dir, 'movies.csv'),
    tags: path.join(dir, 'tags.csv'),
    links: path.join(dir, 'links.csv'),
  };
}

/** The files `movieLensLatestSmall` reads, for existence checks. */
export function movieLensLatestSmallFiles(dir: string): string[] {
  return Object.values(files(dir));
}

/**
 * MovieLens "latest small" (September 2018) as a dataset source: 9,742 movies as services (movies.csv),
 * 100,836 RATING interactions with half-star values (ratings.csv), 3,683 tag assignments (tags.csv).
 *
 * - There is no users file: the 610 users are the distinct user ids of ratings.csv and tags.csv, in order of
 *   first appearance, each created at their first rating or tag.
 * - A movie's categories are its genres ("(no genres listed)" gives none); its `tags` are the distinct tags
 *   users gave it, sorted; `attributes` hold the title's year and the IMDb/TMDb ids of links.csv (imdbId kept
 *   as a string: its leading zeros matter). `createdAtMs` is 1 January of the title's year (UTC), else the
 *   movie's first rating or tag. Movies are imported as FREE, price tier 0, like MovieLens 100K.
 * - The idempotency key `rating:<user>:<movie>:<unix seconds>` is unique over the ratings.
 */
export function movieLensLatestSmall(
  dir: string = path.join(datasetsDir(), 'ml-latest-small'),
  options: MovieLensLatestSmallOptions = {},
): DatasetSource {
  const f = files(dir);
  return {
    datasetId: options.datasetId ?? 'ml-latest-small',
    kind: 'movielens-latest-small',
    description:
      'MovieLens latest small (GroupLens, 2018): 100,836 ratings 0.5-5 and 3,683 tags from 610 users on 9,742 movies',
    fingerprint: () => fingerprintFiles([f.ratings, f.movies, f.tags, f.links]),
    rows(issues: ImportIssues): DatasetRows {
      // Quiet passes: the streams that own these files report their problems.
      const firstSeen = once(async () => {
        const quiet = new ImportIssues(0);
        const seen = new FirstSeen();
        for await (const batch of readCsvTable(f.ratings, quiet, RATINGS, ratingRow)) {
          for (const r of batch) seen.see(r.userId, r.serviceId, r.occurredAtMs);
        }
        for await (const batch of readCsvTable(f.tags, quiet, TAGS, tagRow)) {
          for (const t of batch) seen.see(t.userId, t.serviceId, t.occurredAtMs);
        }
        return seen;
      });
      const tagsByMovie = once(async () => {
        const byMovie = new Map<string, Set<string>>();
        for await (const batch of readCsvTable(f.tags, new ImportIssues(0), TAGS, tagRow)) {
          for (const t of batch) {
            let set = byMovie.get(t.serviceId);
            if (!set) byMovie.set(t.serviceId, (set = new Set()));
            set.add(t.tag);
          }
        }
        return byMovie;
      });
      return {
        users: users(firstSeen),
        services: movies(f.movies, f.links, issues, firstSeen, tagsByMovie),
        interactions: eachRow(readCsvTable(f.ratings, issues, RATINGS, ratingRow)),
        tagAssignments: eachRow(readCsvTable(f.tags, issues, TAGS, tagRow)),
      };
    },
  };
}

async function* users(firstSeen: () => Promise<FirstSeen>): AsyncGenerator<UserRow> {
  const seen = await firstSeen();
  for (const id of seen.userIds()) yield { id, role: 'USER', createdAtMs: seen.user(id) };
}

interface MovieLinks {
  movieId: string;
  imdbId: string | null;
  tmdbId: string | null;
}

const LINKS = { required: ['movieid', 'imdbid', 'tmdbid'] } satisfies CsvColumnSpec<
  'movieid' | 'imdbid' | 'tmdbid'
>;
const MOVIES = { required: ['movieid', 'title', 'genres'] } satisfies CsvColumnSpec<
  'movieid' | 'title' | 'genres'
>;
const RATINGS = {
  required: ['userid', 'movieid', 'rating', 'timestamp'],
} satisfies CsvColumnSpec<RatingColumn>;
type RatingColumn = 'userid' | 'movieid' | 'rating' | 'timestamp';
const TAGS = { required: ['userid', 'movieid', 'tag', 'timestamp'] } satisfies CsvColumnSpec<TagColumn>;
type TagColumn = 'userid' | 'movieid' | 'tag' | 'timestamp';

/** links.csv: movieId,imdbId,tmdbId (imdbId keeps its leading zeros; 8 tmdbIds are empty). */
async function readLinks(file: string, issues: ImportIssues): Promise<Map<string, MovieLinks>> {
  const links = new Map<string, MovieLinks>();
  const parseLink = ({
    source,
    fields,
    header,
  }: CsvRow<'movieid' | 'imdbid' | 'tmdbid'>): MovieLinks | undefined => {
    const movieId = header.get(fields, 'movieid') ?? '';
    if (parseInteger(movieId) === undefined) {
      issues.add(source, `column "movieId": expected an integer, got ${quoted(movieId)}`);
      return undefined;
    }
    return {
      movieId,
      imdbId: header.get(fields, 'imdbid') || null,
      tmdbId: header.get(fields, 'tmdbid') || null,
    };
  };
  for await (const batch of readCsvTable(file, issues, LINKS, parseLink)) {
    for (const link of batch) links.set(link.movieId, link);
  }
  return links;
}

async function* movies(
  moviesFile: string,
  linksFile: string,
  issues: ImportIssues,
  firstSeen: () => Promise<FirstSeen>,
  tagsByMovie: () => Promise<Map<string, Set<string>>>,
): AsyncGenerator<ServiceRow> {
  const links = await readLinks(linksFile, issues);
  const tags = await tagsByMovie();
  const seen = await firstSeen();
  const parseMovie = ({
    source,
    fields,
    header,
  }: CsvRow<'movieid' | 'title' | 'genres'>): ServiceRow | undefined => {
    const id = header.get(fields, 'movieid') ?? '';
    const title = header.get(fields, 'title') ?? '';
    const genres = header.get(fields, 'genres') ?? '';
    if (parseInteger(id) === undefined) {
      issues.add(source, `column "movieId": expected an integer, got ${quoted(id)}`);
      return undefined;
    }
    if (title === '') {
      issues.add(source, 'column "title": empty');
      return undefined;
    }
    const yearMatch = TITLE_YEAR.exec(title);
    const year = yearMatch ? Number(yearMatch[1]) : null;
    const link = links.get(id);
    const attributes: JsonObject = { year, imdbId: link?.imdbId ?? null, tmdbId: link?.tmdbId ?? null };
    return {
      id,
      name: title,
      categories: genres === NO_GENRES ? [] : splitList(genres),
      tags: [...(tags.get(id) ?? [])].sort(),
      pricingModel: 'FREE',
      priceTier: 0,
      priceUsd: null,
      freeTier: true,
      status: 'ACTIVE',
      createdAtMs: year !== null ? Date.UTC(year, 0, 1) : seen.item(id),
      attributes,
      source,
    };
  };
  yield* eachRow(readCsvTable(moviesFile, issues, MOVIES, parseMovie));
}

/** ratings.csv: userId,movieId,rating,timestamp with ratings 0.5-5 in half stars. */
function ratingRow(
  { source, fields, header }: CsvRow<RatingColumn>,
  issues: ImportIssues,
): InteractionRow | undefined {
  const userId = header.get(fields, 'userid') ?? '';
  const movieId = header.get(fields, 'movieid') ?? '';
  const ratingText = header.get(fields, 'rating') ?? '';
  const tsText = header.get(fields, 'timestamp') ?? '';
  const rating = parseNumber(ratingText);
  const ts = parseInteger(tsText);
  if (parseInteger(userId) === undefined)
    issues.add(source, `column "userId": expected an integer, got ${quoted(userId)}`);
  else if (parseInteger(movieId) === undefined) {
    issues.add(source, `column "movieId": expected an integer, got ${quoted(movieId)}`);
  } else if (rating === undefined || rating < 0.5 || rating > 5) {
    issues.add(source, `column "rating": expected a number 0.5-5, got ${quoted(ratingText)}`);
  } else if (ts === undefined)
    issues.add(source, `column "timestamp": expected Unix seconds, got ${quoted(tsText)}`);
  else {
    return {
      userId,
      serviceId: movieId,
      type: 'RATING',
      value: rating,
      occurredAtMs: ts * 1000,
      idempotencyKey: `rating:${userId}:${movieId}:${ts}`,
      source,
    };
  }
  return undefined;
}

/** tags.csv: userId,movieId,tag,timestamp; the tag is free text (quoted when it holds commas or quotes). */
function tagRow(
  { source, fields, header }: CsvRow<TagColumn>,
  issues: ImportIssues,
): TagAssignmentRow | undefined {
  const userId = header.get(fields, 'userid') ?? '';
  const movieId = header.get(fields, 'movieid') ?? '';
  const tag = header.get(fields, 'tag') ?? '';
  const tsText = header.get(fields, 'timestamp') ?? '';
  const ts = parseInteger(tsText);
  if (parseInteger(userId) === undefined)
    issues.add(source, `column "userId": expected an integer, got ${quoted(userId)}`);
  else if (parseInteger(movieId) === undefined) {
    issues.add(source, `column "movieId": expected an integer, got ${quoted(movieId)}`);
  } else if (tag === '') issues.add(source, 'column "tag": empty');
  else if (ts === undefined)
    issues.add(source, `column "timestamp": expected Unix seconds, got ${quoted(tsText)}`);
  else return { userId, serviceId: movieId, tag, occurredAtMs: ts * 1000, source };
  return undefined;
}
