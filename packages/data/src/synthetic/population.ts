import { USER_ROLES, type UserRow } from '@recsys/db';
import type { Rng } from '../random/rng';
import { DAY_MS } from './calendar';
import { dirichletInto, logNormal, roundTo, weightedIndex } from './distributions';
import type { SyntheticParams } from './params';
import { CATEGORIES, CATEGORY_SPECS, COUNTRIES, DEVICES, OCCUPATIONS } from './taxonomy';

const K = CATEGORIES.length;
/** Dirichlet concentration of tastes: lower gives more single-minded users. */
const TASTE_CONCENTRATION = 3;
const ROLE_WEIGHTS = [0.93, 0.05, 0.02]; // USER, PROVIDER, ADMIN
/** Device preference before personal variation: desktop, mobile, api. */
const DEVICE_BASE = [0.55, 0.3, 0.15];

/**
 * The users as parallel typed arrays (index = user): the latent traits the click model reads (taste over
 * categories, price sensitivity) and what drives their sessions (activity, sign-up time, time zone, devices).
 * Traits are rounded to 4 decimals when drawn, so the values written into `attributes` are the very values
 * the simulator used.
 */
export interface SyntheticPopulation {
  readonly size: number;
  readonly ids: readonly string[];
  /** size × CATEGORIES.length, row-major: user u's taste is taste[u*K .. u*K+K). */
  readonly taste: Float64Array;
  readonly priceSensitivity: Float64Array;
  /** Relative session rate (log-normal: a few power users, a long tail of occasional ones). */
  readonly activity: Float64Array;
  readonly signupMs: Float64Array;
  /** Index into COUNTRIES. */
  readonly country: Uint8Array;
  /** Index into OCCUPATIONS. */
  readonly occupation: Uint8Array;
  /** Index into USER_ROLES. */
  readonly role: Uint8Array;
  /** size × DEVICES.length, row-major device preference (sums to 1). */
  readonly devices: Float64Array;
  /** Users 0 .. preStart-1 signed up before the window opens, so someone can always act. */
  readonly preStart: number;
}

export function generatePopulation(params: SyntheticParams, rng: Rng): SyntheticPopulation {
  const n = params.users;
  const width = Math.max(4, String(n).length);
  const windowMs = params.endMs - params.startMs;
  const preStart = Math.ceil(n / 2);
  const p = {
    size: n,
    ids: [] as string[],
    taste: new Float64Array(n * K),
    priceSensitivity: new Float64Array(n),
    activity: new Float64Array(n),
    signupMs: new Float64Array(n),
    country: new Uint8Array(n),
    occupation: new Uint8Array(n),
    role: new Uint8Array(n),
    devices: new Float64Array(n * DEVICES.length),
    preStart,
  };
  const countryShares = COUNTRIES.map((c) => c.share);
  const occupationShares = OCCUPATIONS.map((o) => o.share);
  const alpha = new Array<number>(K);
  const deviceAlpha = new Array<number>(DEVICES.length);
  const devices = new Float64Array(DEVICES.length);
  for (let u = 0; u < n; u++) {
    const occupation = OCCUPATIONS[weightedIndex(rng, occupationShares)];
    let tilted = 0;
    for (let k = 0; k < K; k++) tilted += CATEGORY_SPECS[k].demand * occupation.tasteTilt[k];
    for (let k = 0; k < K; k++)
      alpha[k] = (TASTE_CONCENTRATION * CATEGORY_SPECS[k].demand * occupation.tasteTilt[k]) / tilted;
    dirichletInto(rng, alpha, p.taste, u * K);
    for (let k = 0; k < K; k++) p.taste[u * K + k] = roundTo(p.taste[u * K + k], 4);

    const sensitivity = 0.5 + occupation.priceShift + 0.22 * rng.normal();
    p.priceSensitivity[u] = roundTo(Math.min(1, Math.max(0, sensitivity)), 4);
    p.activity[u] = roundTo(logNormal(rng, 0, 1), 4);
    p.signupMs[u] = Math.floor(
      u < preStart ? params.startMs - rng.next() * 365 * DAY_MS : params.startMs + rng.next() * windowMs,
    );
    p.country[u] = weightedIndex(rng, countryShares);
    p.occupation[u] = OCCUPATIONS.indexOf(occupation);
    p.role[u] = weightedIndex(rng, ROLE_WEIGHTS);
    const apiBoost = occupation.name === 'developer' || occupation.name === 'ml engineer' ? 2 : 1;
    for (let d = 0; d < DEVICES.length; d++) deviceAlpha[d] = 4 * DEVICE_BASE[d] * (d === 2 ? apiBoost : 1);
    dirichletInto(rng, deviceAlpha, devices, 0);
    for (let d = 0; d < DEVICES.length; d++) p.devices[u * DEVICES.length + d] = roundTo(devices[d], 4);
    p.ids.push(`user-${String(u + 1).padStart(width, '0')}`);
  }
  return p;
}

/** The user as a row, its latent traits in `attributes` (see click-model.ts for how they are read back). */
export function userRow(population: SyntheticPopulation, u: number): UserRow {
  const taste: Record<string, number> = {};
  for (let k = 0; k < K; k++) taste[CATEGORIES[k]] = population.taste[u * K + k];
  const devices: Record<string, number> = {};
  for (let d = 0; d < DEVICES.length; d++) devices[DEVICES[d]] = population.devices[u * DEVICES.length + d];
  const country = COUNTRIES[population.country[u]];
  return {
    id: population.ids[u],
    role: USER_ROLES[population.role[u]],
    createdAtMs: population.signupMs[u],
    country: country.code,
    occupation: OCCUPATIONS[population.occupation[u]].name,
    attributes: {
      taste,
      priceSensitivity: population.priceSensitivity[u],
      activity: population.activity[u],
      devices,
      utcOffsetHours: country.utcOffsetHours,
    },
  };
}
