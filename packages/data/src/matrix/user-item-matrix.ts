import { selectEvents, type InteractionLog, type InteractionTypeCode } from '../interactions/interaction-log';
import { buildCsr, type CsrMatrix, type DuplicatePolicy } from './csr';

/**
 * What a user-item cell holds:
 * - `binary`: 1 when the user interacted with the item at least once (implicit feedback, ALS/BPR);
 * - `rating`: the event's value; events without one (NaN) are left out;
 * - `count`: the number of events on the pair.
 */
export type UserItemValue = 'binary' | 'rating' | 'count';

export interface UserItemMatrixOptions {
  /** Default `binary`. */
  value?: UserItemValue;
  /** Only events of these types (all types when omitted or empty). */
  types?: readonly InteractionTypeCode[];
  /**
   * Override of how repeated (user, item) events merge. Defaults follow the value: binary → `max`
   * (stays 1), rating → `last` by timestamp (a re-rating replaces the older one; equal times → the later
   * event), count → `sum`.
   */
  duplicates?: DuplicatePolicy;
}

const DEFAULT_DUPLICATES: Record<UserItemValue, DuplicatePolicy> = {
  binary: 'max',
  rating: 'last',
  count: 'sum',
};

/** The nUsers × nItems matrix of a log's events, see UserItemMatrixOptions. */
export function userItemMatrix(
  log: InteractionLog,
  nUsers: number,
  nItems: number,
  options: UserItemMatrixOptions = {},
): CsrMatrix {
  const value = options.value ?? 'binary';
  const duplicates = options.duplicates ?? DEFAULT_DUPLICATES[value];
  const typeFilter = options.types !== undefined && options.types.length > 0 ? typeMask(options.types) : null;
  const skipUnrated = value === 'rating';

  let events: InteractionLog = log;
  if (typeFilter !== null || skipUnrated) {
    const keep = (e: number): boolean =>
      (typeFilter === null || typeFilter[log.types[e]] === 1) &&
      !(skipUnrated && Number.isNaN(log.values[e]));
    let count = 0;
    for (let e = 0; e < log.length; e++) if (keep(e)) count++;
    if (count !== log.length) {
      const kept = new Int32Array(count);
      for (let e = 0, k = 0; e < log.length; e++) if (keep(e)) kept[k++] = e;
      events = selectEvents(log, kept);
    }
  }
  const { users, items, values, timestamps } = events;
  if (value === 'rating')
    return buildCsr(nUsers, nItems, users, items, values, { duplicates, orderBy: timestamps });
  return buildCsr(nUsers, nItems, users, items, undefined, { duplicates });
}

function typeMask(types: readonly InteractionTypeCode[]): Uint8Array {
  const mask = new Uint8Array(256);
  for (const t of types) mask[t] = 1;
  return mask;
}
