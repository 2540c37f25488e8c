import { DatasetSourceError } from '../sources/dataset-source';
import { DAY_MS } from './calendar';

/** What the synthetic marketplace generator takes; everything but the seed has a default (DEFAULTS). */
export interface SyntheticMarketplaceOptions {
  /** Any integer; the same options give the same rows, byte for byte. */
  seed: number;
  /** Number of users (≥ 1). */
  users?: number;
  /** Number of services (≥ 1). */
  services?: number;
  /** Exactly this many interaction events are generated (≥ 0). */
  interactions?: number;
  /** Number of providers (≥ 1); the first 16 have invented names, more are numbered. */
  providers?: number;
  /** Start of the simulated window, ms since the epoch (default 2024-01-01T00:00Z); rounded down to UTC midnight. */
  startMs?: number;
  /** Length of the window in calendar months (integer ≥ 1). */
  months?: number;
  /** Dataset id to import into. */
  datasetId?: string;
  /** Exponent s of the Zipf-like base popularity 1/rank^s of services. */
  popularitySkew?: number;
  /** Traffic growth over the window: the last day gets (1 + growth) times the first day's events. */
  growth?: number;
}

export type SyntheticParams = Required<SyntheticMarketplaceOptions> & {
  /** End of the window (exclusive), `months` calendar months after `startMs`. */
  endMs: number;
};

/** The defaults, in one place. */
export const SYNTHETIC_DEFAULTS = {
  users: 1000,
  services: 200,
  interactions: 100_000,
  providers: 12,
  startMs: Date.UTC(2024, 0, 1),
  months: 12,
  datasetId: 'synthetic',
  popularitySkew: 0.9,
  growth: 1.0,
} as const satisfies Omit<Required<SyntheticMarketplaceOptions>, 'seed'>;

/** Options with defaults filled in, checked: throws DatasetSourceError SOURCE_INVALID_OPTIONS naming the bad option. */
export function syntheticParams(options: SyntheticMarketplaceOptions): SyntheticParams {
  const o = { ...SYNTHETIC_DEFAULTS, ...definedOnly(options), seed: options.seed };
  const fail = (name: string, expected: string, value: unknown): never => {
    throw new DatasetSourceError(
      'SOURCE_INVALID_OPTIONS',
      `synthetic marketplace: ${name} must be ${expected}, got ${String(value)}`,
    );
  };
  if (!Number.isSafeInteger(o.seed)) fail('seed', 'an integer', o.seed);
  if (!Number.isSafeInteger(o.users) || o.users < 1) fail('users', 'an integer ≥ 1', o.users);
  if (!Number.isSafeInteger(o.services) || o.services < 1) fail('services', 'an integer ≥ 1', o.services);
  if (!Number.isSafeInteger(o.interactions) || o.interactions < 0)
    fail('interactions', 'an integer ≥ 0', o.interactions);
  if (!Number.isSafeInteger(o.providers) || o.providers < 1) fail('providers', 'an integer ≥ 1', o.providers);
  if (!Number.isFinite(o.startMs)) fail('startMs', 'a finite time in ms', o.startMs);
  if (!Number.isSafeInteger(o.months) || o.months < 1 || o.months > 120)
    fail('months', 'an integer 1-120', o.months);
  if (!(o.popularitySkew >= 0 && o.popularitySkew <= 4))
    fail('popularitySkew', 'a number 0-4', o.popularitySkew);
  if (!(o.growth >= 0 && o.growth <= 100)) fail('growth', 'a number 0-100', o.growth);
  if (typeof o.datasetId !== 'string' || o.datasetId === '')
    fail('datasetId', 'a non-empty string', o.datasetId);
  // Days of the window run from UTC midnight, so that the diurnal pattern lines up with clock hours.
  const startMs = Math.floor(o.startMs / DAY_MS) * DAY_MS;
  const end = new Date(startMs);
  end.setUTCMonth(end.getUTCMonth() + o.months);
  return { ...o, startMs, endMs: end.getTime() };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
