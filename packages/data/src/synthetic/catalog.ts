import { PRICING_MODELS, type ProviderRow, type ServiceRow } from '@recsys/db';
import type { Rng } from '../random/rng';
import { DAY_MS } from './calendar';
import { roundPrice, roundTo, logUniform, weightedIndex } from './distributions';
import type { SyntheticParams } from './params';
import { CATEGORIES, CATEGORY_SPECS, PROVIDER_TEMPLATES, SIZES } from './taxonomy';

const YEAR_MS = 365 * DAY_MS;
const FREE = PRICING_MODELS.indexOf('FREE');
const PAY_AS_YOU_GO = PRICING_MODELS.indexOf('PAY_AS_YOU_GO');
const SUBSCRIPTION = PRICING_MODELS.indexOf('SUBSCRIPTION');
/** Share of services launched before the window; the rest launch during it and ramp up (trends). */
const LAUNCHED_BEFORE = 0.65;
const RETIRE_SHARE = 0.1;
const SECONDARY_SHARE = 0.3;

export interface SyntheticProvider {
  id: string;
  name: string;
  website: string;
  createdAtMs: number;
}

/**
 * The services of the marketplace as parallel typed arrays (index = service): O(services) memory,
 * read in the simulator's hot loop without touching objects.
 */
export interface SyntheticCatalog {
  readonly size: number;
  readonly providers: readonly SyntheticProvider[];
  readonly ids: readonly string[];
  readonly names: readonly string[];
  readonly tags: readonly (readonly string[])[];
  /** Index into `providers`. */
  readonly provider: Int32Array;
  /** Index into CATEGORIES. */
  readonly category: Uint8Array;
  /** Index into CATEGORIES, -1 when none. */
  readonly secondary: Int8Array;
  /** Index into PRICING_MODELS. */
  readonly pricingModel: Uint8Array;
  /** List price in USD per the unit; 0 for FREE, NaN for ENTERPRISE (priced on request). */
  readonly priceUsd: Float64Array;
  /** 0 free, 1-4 by the price's position in its category's range (quartiles of log price); ENTERPRISE is 4. */
  readonly priceTier: Uint8Array;
  readonly freeTier: Uint8Array;
  /** Latent quality (4 decimals), part of the click model. */
  readonly quality: Float64Array;
  /** Base exposure weight: Zipf-like over a random rank, nudged by quality. */
  readonly popularity: Float64Array;
  /** Extra exposure right after an in-window launch, decaying over months; 0 for older services. */
  readonly hype: Float64Array;
  readonly launchMs: Float64Array;
  /** When the service is retired (Infinity: never); after it, it is no longer shown. */
  readonly retireMs: Float64Array;
  /** The most popular service, live through the whole window, so that there is always something to show. */
  readonly alwaysLive: number;
}

export function generateCatalog(params: SyntheticParams, rng: Rng): SyntheticCatalog {
  const n = params.services;
  const windowMs = params.endMs - params.startMs;
  const providerNames = Array.from({ length: params.providers }, (_, p) => providerName(p));
  const providerFocus = Array.from({ length: params.providers }, (_, p) =>
    CATEGORY_SPECS.map((spec, k) => (PROVIDER_TEMPLATES[p]?.focus[k] ?? 0.2 + rng.next()) * spec.demand),
  );
  // Bigger labs list more services.
  const providerWeights = providerNames.map((_, p) => 1 / Math.pow(p + 1, 0.8));
  const width = Math.max(4, String(n).length);

  const c = {
    size: n,
    ids: [] as string[],
    names: [] as string[],
    tags: [] as string[][],
    provider: new Int32Array(n),
    category: new Uint8Array(n),
    secondary: new Int8Array(n),
    pricingModel: new Uint8Array(n),
    priceUsd: new Float64Array(n),
    priceTier: new Uint8Array(n),
    freeTier: new Uint8Array(n),
    quality: new Float64Array(n),
    popularity: new Float64Array(n),
    hype: new Float64Array(n),
    launchMs: new Float64Array(n),
    retireMs: new Float64Array(n),
  };
  for (let s = 0; s < n; s++) {
    const p = weightedIndex(rng, providerWeights);
    const focus = providerFocus[p];
    const k = weightedIndex(rng, focus);
    const spec = CATEGORY_SPECS[k];
    let secondary = -1;
    if (rng.next() < SECONDARY_SHARE) {
      secondary = weightedIndex(
        rng,
        focus.map((w, j) => (j === k ? 0 : w)),
      );
    }
    const model = weightedIndex(rng, spec.pricingWeights);
    let price = Number.NaN;
    let tier = 4;
    let logPosition = 0.5;
    if (model === FREE) {
      price = 0;
      tier = 0;
    } else if (model === PAY_AS_YOU_GO || model === SUBSCRIPTION) {
      const [lo, hi] = model === PAY_AS_YOU_GO ? spec.payAsYouGo : spec.subscription;
      const raw = logUniform(rng, lo, hi);
      logPosition = Math.log(raw / lo) / Math.log(hi / lo);
      price = model === SUBSCRIPTION && raw >= 5 ? Math.round(raw) - 0.01 : roundPrice(raw);
      tier = 1 + Math.min(3, Math.floor(logPosition * 4));
    }
    const freeTierChance = [1, 0.45, 0.35, 0.05][model];
    const launchedBefore = rng.next() < LAUNCHED_BEFORE;
    const launch = launchedBefore
      ? params.startMs - rng.next() * 2 * YEAR_MS
      : params.startMs + rng.next() * Math.max(0, windowMs - 7 * DAY_MS);
    let retire = Number.POSITIVE_INFINITY;
    if (rng.next() < RETIRE_SHARE) {
      const from = Math.max(launch, params.startMs) + 30 * DAY_MS;
      retire = Math.floor(from + rng.next() * Math.max(DAY_MS, params.endMs + 180 * DAY_MS - from));
    }
    const family = spec.families[rng.int(spec.families.length)];
    const size = SIZES[rng.int(SIZES.length)];
    const version = 1 + rng.int(4) + (rng.next() < 0.3 ? 0.5 : 0);
    const tagCount = 1 + rng.int(3);
    const tags = rng
      .shuffle([...spec.tags])
      .slice(0, tagCount)
      .sort();

    c.ids.push(`svc-${String(s + 1).padStart(width, '0')}`);
    c.names.push(`${providerNames[p].split(' ')[0]} ${family} ${size} ${version}`);
    c.tags.push(tags);
    c.provider[s] = p;
    c.category[s] = k;
    c.secondary[s] = secondary;
    c.pricingModel[s] = model;
    c.priceUsd[s] = price;
    c.priceTier[s] = tier;
    c.freeTier[s] = rng.next() < freeTierChance ? 1 : 0;
    // Dearer services are somewhat better on average.
    c.quality[s] = roundTo(Math.max(-2, Math.min(2, 0.6 * rng.normal() + 0.4 * (logPosition - 0.5))), 4);
    c.hype[s] = launchedBefore ? 0 : roundTo(0.5 + 2.5 * rng.next(), 4);
    c.launchMs[s] = Math.floor(launch);
    c.retireMs[s] = retire;
  }

  // Zipf-like base popularity over a random ranking, tilted towards quality.
  const rank = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  let top = 0;
  for (let s = 0; s < n; s++) {
    c.popularity[s] = roundTo(
      Math.pow(rank[s] + 1, -params.popularitySkew) * Math.exp(0.4 * c.quality[s]),
      8,
    );
    if (c.popularity[s] > c.popularity[top]) top = s;
  }
  // The most popular service is live for the whole window, so there is always something to show.
  c.launchMs[top] = Math.min(c.launchMs[top], params.startMs - 30 * DAY_MS);
  c.retireMs[top] = Number.POSITIVE_INFINITY;
  c.hype[top] = 0;

  const providers = providerNames.map((name, p): SyntheticProvider => {
    let first = params.startMs - 3 * YEAR_MS;
    for (let s = 0; s < n; s++) if (c.provider[s] === p && c.launchMs[s] < first) first = c.launchMs[s];
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    return { id: slug, name, website: `https://${slug}.example`, createdAtMs: first };
  });
  return { ...c, providers, alwaysLive: top };
}

const EXTRA_PREFIXES = [
  'Nova',
  'Vertex',
  'Helix',
  'Quanta',
  'Lumen',
  'Cobalt',
  'Ember',
  'Tidal',
  'Aurora',
  'Basalt',
];
const EXTRA_SUFFIXES = ['Systems', 'Intelligence', 'Works', 'Dynamics', 'Cloud', 'Labs'];

function providerName(p: number): string {
  const template = PROVIDER_TEMPLATES[p];
  if (template) return template.name;
  const k = p - PROVIDER_TEMPLATES.length;
  return `${EXTRA_PREFIXES[k % EXTRA_PREFIXES.length]} ${EXTRA_SUFFIXES[Math.floor(k / EXTRA_PREFIXES.length) % EXTRA_SUFFIXES.length]} ${k + 1}`;
}

export function providerRow(provider: SyntheticProvider): ProviderRow {
  return {
    id: provider.id,
    name: provider.name,
    website: provider.website,
    createdAtMs: provider.createdAtMs,
  };
}

/** The catalog entry as a row; `status` is the service's state at the end of the window. */
export function serviceRow(catalog: SyntheticCatalog, s: number, endMs: number): ServiceRow {
  const k = catalog.category[s];
  const model = catalog.pricingModel[s];
  const secondary = catalog.secondary[s];
  const provider = catalog.providers[catalog.provider[s]];
  const price = catalog.priceUsd[s];
  const retired = catalog.retireMs[s] <= endMs;
  return {
    id: catalog.ids[s],
    providerId: provider.id,
    name: catalog.names[s],
    description: `${CATEGORIES[k]} API by ${provider.name}`,
    categories: secondary >= 0 ? [CATEGORIES[k], CATEGORIES[secondary]] : [CATEGORIES[k]],
    tags: catalog.tags[s],
    pricingModel: PRICING_MODELS[model],
    priceTier: catalog.priceTier[s],
    priceUsd: Number.isNaN(price) ? null : price,
    priceUnit:
      model === FREE || Number.isNaN(price)
        ? null
        : model === SUBSCRIPTION
          ? 'USD per month'
          : CATEGORY_SPECS[k].unit,
    freeTier: catalog.freeTier[s] === 1,
    status: retired ? 'RETIRED' : 'ACTIVE',
    createdAtMs: catalog.launchMs[s],
    attributes: {
      quality: catalog.quality[s],
      popularity: catalog.popularity[s],
      hype: catalog.hype[s],
      retiredAtMs: retired ? catalog.retireMs[s] : null,
    },
  };
}
