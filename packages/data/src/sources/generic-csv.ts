import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  INTERACTION_TYPES,
  USER_ROLES,
  type DatasetRows,
  type ImportIssues,
  type InteractionRow,
  type InteractionTypeName,
  type ServiceRow,
  type UserRoleName,
  type UserRow,
} from '@recsys/db';
import { eachRow, readCsvTable, type CsvColumnSpec, type CsvRow } from './csv-lines';
import { type DatasetSource } from './dataset-source';
import { parseInteger, parseNumber, parseTimestampMs, quoted, splitList } from './field-values';
import { fingerprintFiles } from './fingerprint';

export interface GenericCsvFiles {
  /** Events: `user,item[,rating][,timestamp][,type]`, more columns go into the event's `context`. */
  interactions: string;
  /** Services: `item[,title][,categories][,tags][,text]`, lists `|`-separated; more columns go into `attributes`. */
  items?: string;
  /** Users: `user[,age][,gender][,occupation][,country][,zip][,role][,created_at]`; more columns go into `attributes`. */
  users?: string;
}

export interface GenericCsvOptions {
  /** Dataset id to import into; by default derived from the interactions file (see `genericCsvDatasetId`). */
  datasetId?: string;
}

const INTERACTION_COLUMNS: CsvColumnSpec<InteractionColumn> = {
  required: ['user', 'item'],
  optional: ['rating', 'timestamp', 'type'],
  aliases: {
    user: ['userid', 'user_id'],
    item: ['itemid', 'item_id', 'service', 'serviceid', 'service_id'],
    rating: ['value'],
    timestamp: ['time', 'ts', 'occurred_at'],
    type: ['event', 'event_type'],
  },
};

const ITEM_COLUMNS: CsvColumnSpec<ItemColumn> = {
  required: ['item'],
  optional: ['title', 'categories', 'tags', 'text'],
  aliases: {
    item: ['itemid', 'item_id', 'service', 'serviceid', 'service_id', 'id'],
    title: ['name'],
    categories: ['category', 'genres'],
    text: ['description'],
  },
};

const USER_COLUMNS: CsvColumnSpec<
  'user' | 'age' | 'gender' | 'occupation' | 'country' | 'zip' | 'role' | 'created_at'
> = {
  required: ['user'],
  optional: ['age', 'gender', 'occupation', 'country', 'zip', 'role', 'created_at'],
  aliases: {
    user: ['userid', 'user_id', 'id'],
    zip: ['zipcode', 'zip_code'],
    created_at: ['createdat', 'signup', 'signed_up'],
  },
};

/**
 * A dataset from the caller's own CSV files (UTF-8, header row, RFC 4180 quoting). Every malformed record
 * (wrong field count, empty id, non-numeric rating, bad timestamp, unknown type or role) is reported with its
 * file and line and skipped. Without an items (users) file the services (users) are created bare from the ids
 * the events mention.
 *
 * Interactions:
 * - `type` is case-insensitive, `-`/space read as `_` (`rating`, `view`, `click`, `api_call`, `subscribe`,
 *   `favorite`, `review`, `purchase`, `impression`). Without a type an event is a RATING when it has a rating,
 *   else a CLICK. A RATING needs a rating; any other type keeps a rating it has as its `value`.
 * - `timestamp` is Unix seconds (fractions allowed) or ISO-8601 (UTC when no zone is given). An event without
 *   one is placed at `line` seconds after the epoch: deterministic, and it keeps the file's order.
 * - The idempotency key is a digest of (user, item, type, time, rating), so importing the same file twice
 *   stores each event once. Two identical records with the same explicit timestamp are taken as one event
 *   replayed, not two events; records without a timestamp differ by their line, so they stay distinct.
 */
export function genericCsv(files: GenericCsvFiles, options: GenericCsvOptions = {}): DatasetSource {
  const inputs = [files.interactions, files.items, files.users].filter((f): f is string => f !== undefined);
  return {
    datasetId: options.datasetId ?? genericCsvDatasetId(files.interactions),
    kind: 'generic-csv',
    description: `CSV import of ${inputs.map((f) => path.basename(f)).join(', ')}`,
    fingerprint: () => fingerprintFiles(inputs),
    rows(issues: ImportIssues): DatasetRows {
      return {
        users:
          files.users === undefined
            ? undefined
            : eachRow(readCsvTable(files.users, issues, USER_COLUMNS, userRow)),
        services:
          files.items === undefined
            ? undefined
            : eachRow(readCsvTable(files.items, issues, ITEM_COLUMNS, itemRow)),
        interactions: eachRow(readCsvTable(files.interactions, issues, INTERACTION_COLUMNS, interactionRow)),
      };
    },
  };
}

/**
 * The default dataset id for an interactions file: its folder's name when the file has a generic name
 * (interactions, events, ratings: data/acme/interactions.csv → 'acme'), else the file's name without
 * extension; lower case, runs of other characters than [a-z0-9_-] replaced by '-'.
 */
export function genericCsvDatasetId(interactionsFile: string): string {
  const stem = path.basename(interactionsFile).replace(/\.[^.]*$/, '');
  const generic = ['interactions', 'events', 'ratings'].includes(stem.toLowerCase());
  const name = generic ? path.basename(path.dirname(path.resolve(interactionsFile))) : stem;
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return id || 'csv';
}

const TYPE_BY_NAME = new Map<string, InteractionTypeName>(INTERACTION_TYPES.map((t) => [t, t]));
const ROLE_BY_NAME = new Map<string, UserRoleName>(USER_ROLES.map((r) => [r, r]));

function normalizeName(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
}

type InteractionColumn = 'user' | 'item' | 'rating' | 'timestamp' | 'type';
type ItemColumn = 'item' | 'title' | 'categories' | 'tags' | 'text';
type UserColumn = 'user' | 'age' | 'gender' | 'occupation' | 'country' | 'zip' | 'role' | 'created_at';

function interactionRow(
  { source, fields, header }: CsvRow<InteractionColumn>,
  issues: ImportIssues,
): InteractionRow | undefined {
  const userId = header.get(fields, 'user') ?? '';
  const serviceId = header.get(fields, 'item') ?? '';
  const ratingText = header.get(fields, 'rating') ?? '';
  const tsText = header.get(fields, 'timestamp') ?? '';
  const typeText = header.get(fields, 'type') ?? '';
  const fail = (message: string): undefined => {
    issues.add(source, message);
    return undefined;
  };
  if (userId === '') return fail('column "user": empty id');
  if (serviceId === '') return fail('column "item": empty id');
  const rating = ratingText === '' ? null : parseNumber(ratingText);
  if (rating === undefined) return fail(`column "rating": expected a number, got ${quoted(ratingText)}`);
  const occurredAtMs = tsText === '' ? source.line * 1000 : parseTimestampMs(tsText);
  if (occurredAtMs === undefined) {
    return fail(`column "timestamp": expected Unix seconds or ISO-8601, got ${quoted(tsText)}`);
  }
  const type =
    typeText === '' ? (rating === null ? 'CLICK' : 'RATING') : TYPE_BY_NAME.get(normalizeName(typeText));
  if (type === undefined) {
    const expected = INTERACTION_TYPES.map((t) => t.toLowerCase()).join(', ');
    return fail(`column "type": unknown interaction type ${quoted(typeText)} (expected one of ${expected})`);
  }
  if (type === 'RATING' && rating === null)
    return fail('column "rating": a rating event needs a rating, the value is empty');
  return {
    userId,
    serviceId,
    type,
    value: rating,
    context: header.extraValues(fields),
    occurredAtMs,
    idempotencyKey: eventKey(userId, serviceId, type, occurredAtMs, rating),
    source,
  };
}

/** 128 bits of SHA-256 over the event's content: ids may hold any character, so they are not joined raw. */
function eventKey(
  userId: string,
  serviceId: string,
  type: string,
  ms: number,
  rating: number | null,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([userId, serviceId, type, ms, rating]))
    .digest('hex');
  return `csv:${digest.slice(0, 32)}`;
}

function itemRow(
  { source, fields, header }: CsvRow<ItemColumn>,
  issues: ImportIssues,
): ServiceRow | undefined {
  const id = header.get(fields, 'item') ?? '';
  if (id === '') {
    issues.add(source, 'column "item": empty id');
    return undefined;
  }
  return {
    id,
    name: header.get(fields, 'title') || id,
    description: header.get(fields, 'text') || null,
    categories: splitList(header.get(fields, 'categories')),
    tags: splitList(header.get(fields, 'tags')),
    attributes: header.extraValues(fields),
    source,
  };
}

function userRow({ source, fields, header }: CsvRow<UserColumn>, issues: ImportIssues): UserRow | undefined {
  const id = header.get(fields, 'user') ?? '';
  const ageText = header.get(fields, 'age') ?? '';
  const roleText = header.get(fields, 'role') ?? '';
  const createdText = header.get(fields, 'created_at') ?? '';
  const fail = (message: string): undefined => {
    issues.add(source, message);
    return undefined;
  };
  if (id === '') return fail('column "user": empty id');
  const age = ageText === '' ? null : parseInteger(ageText);
  if (age === undefined || (age !== null && (age < 0 || age > 150))) {
    return fail(`column "age": expected an integer 0-150, got ${quoted(ageText)}`);
  }
  const role = roleText === '' ? 'USER' : ROLE_BY_NAME.get(normalizeName(roleText));
  if (role === undefined) {
    const expected = USER_ROLES.map((r) => r.toLowerCase()).join(', ');
    return fail(`column "role": unknown role ${quoted(roleText)} (expected ${expected})`);
  }
  const createdAtMs = createdText === '' ? undefined : parseTimestampMs(createdText);
  if (createdText !== '' && createdAtMs === undefined) {
    return fail(`column "created_at": expected Unix seconds or ISO-8601, got ${quoted(createdText)}`);
  }
  return {
    id,
    role,
    createdAtMs,
    age,
    gender: header.get(fields, 'gender') || null,
    occupation: header.get(fields, 'occupation') || null,
    country: header.get(fields, 'country') || null,
    zipCode: header.get(fields, 'zip') || null,
    attributes: header.extraValues(fields),
    source,
  };
}
