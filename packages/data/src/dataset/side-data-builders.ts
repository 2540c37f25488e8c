import { PRICING_MODELS, USER_ROLES, type ServiceRow, type UserRow } from '@recsys/db';
import { IdMap } from '../ids/id-map';
import type { ItemSideData, MultiValueColumn, UserSideData } from './dataset';

/**
 * Column builders for the side data, fed one row at a time in dense-index order (row k describes
 * index k) and finished once the id map is complete: indexes added later (ids that only the
 * interactions mention) get the defaults the database would give a bare row.
 * Shared by `buildDatasetFromRows` (importer rows) and `loadDatasetFromPostgres` (records read back).
 */

/** Accumulates a MultiValueColumn in CSR form. */
class MultiValueBuilder {
  readonly vocab = new IdMap();
  private readonly offsets: number[] = [0];
  private readonly values: number[] = [];

  push(list: readonly string[] | undefined): void {
    if (list !== undefined) for (const v of list) this.values.push(this.vocab.add(v));
    this.offsets.push(this.values.length);
  }

  finish(rows: number): MultiValueColumn {
    while (this.offsets.length < rows + 1) this.offsets.push(this.values.length);
    return {
      vocab: this.vocab,
      offsets: Int32Array.from(this.offsets),
      values: Int32Array.from(this.values),
    };
  }
}

function indexOrThrow(map: IdMap, id: string, expected: number, what: string): void {
  const index = map.add(id);
  if (index !== expected) throw new Error(`duplicate ${what} id "${id}" (first seen as index ${index})`);
}

const msToSeconds = (ms: number | undefined): number => (ms === undefined ? Number.NaN : ms / 1000);
const vocabIndex = (vocab: IdMap, value: string | null | undefined): number =>
  value === null || value === undefined ? -1 : vocab.add(value);

const PRICING_INDEX = new Map<string, number>(PRICING_MODELS.map((p, i) => [p, i]));
const ROLE_INDEX = new Map<string, number>(USER_ROLES.map((r, i) => [r, i]));
/** The database defaults of a service row (prisma/schema.prisma). */
const DEFAULT_PRICING = 'PAY_AS_YOU_GO';

export class ItemSideBuilder {
  private readonly titles: string[] = [];
  private readonly descriptions: (string | null)[] = [];
  private readonly categories = new MultiValueBuilder();
  private readonly tags = new MultiValueBuilder();
  private readonly providers: number[] = [];
  private readonly pricingModels: number[] = [];
  private readonly priceTiers: number[] = [];
  private readonly pricesUsd: number[] = [];
  private readonly freeTier: number[] = [];
  private readonly retired: number[] = [];
  private readonly createdAt: number[] = [];

  /** @param providerVocab providers known up front (the providers stream), extended as services name others. */
  constructor(private readonly providerVocab: IdMap = new IdMap()) {}

  /** Adds the service as the next item index of `items`; throws on a repeated id. */
  add(items: IdMap, row: ServiceRow): void {
    indexOrThrow(items, row.id, this.titles.length, 'service');
    const pricing = row.pricingModel ?? DEFAULT_PRICING;
    const pricingIndex = PRICING_INDEX.get(pricing);
    if (pricingIndex === undefined)
      throw new Error(`service "${row.id}": unknown pricing model "${pricing}"`);
    this.titles.push(row.name);
    this.descriptions.push(row.description ?? null);
    this.categories.push(row.categories);
    this.tags.push(row.tags);
    this.providers.push(vocabIndex(this.providerVocab, row.providerId));
    this.pricingModels.push(pricingIndex);
    this.priceTiers.push(row.priceTier ?? 0);
    this.pricesUsd.push(row.priceUsd ?? Number.NaN);
    this.freeTier.push(row.freeTier === true ? 1 : 0);
    this.retired.push(row.status === 'RETIRED' ? 1 : 0);
    this.createdAt.push(msToSeconds(row.createdAtMs));
  }

  /** The columns for every index of `items`; items without a service row are named after their id. */
  finish(items: IdMap): ItemSideData {
    const n = items.size;
    const defaultPricing = PRICING_INDEX.get(DEFAULT_PRICING) ?? 0;
    for (let i = this.titles.length; i < n; i++) {
      this.titles.push(items.idAt(i));
      this.descriptions.push(null);
      this.providers.push(-1);
      this.pricingModels.push(defaultPricing);
      this.priceTiers.push(0);
      this.pricesUsd.push(Number.NaN);
      this.freeTier.push(0);
      this.retired.push(0);
      this.createdAt.push(Number.NaN);
    }
    return {
      titles: this.titles,
      descriptions: this.descriptions,
      categories: this.categories.finish(n),
      tags: this.tags.finish(n),
      providers: Int32Array.from(this.providers),
      providerVocab: this.providerVocab,
      pricingModels: Uint8Array.from(this.pricingModels),
      priceTiers: Uint8Array.from(this.priceTiers),
      pricesUsd: Float32Array.from(this.pricesUsd),
      freeTier: Uint8Array.from(this.freeTier),
      retired: Uint8Array.from(this.retired),
      createdAt: Float64Array.from(this.createdAt),
    };
  }
}

export class UserSideBuilder {
  private readonly roles: number[] = [];
  private readonly ages: number[] = [];
  private readonly genders: number[] = [];
  private readonly occupations: number[] = [];
  private readonly countries: number[] = [];
  private readonly createdAt: number[] = [];
  private readonly genderVocab = new IdMap();
  private readonly occupationVocab = new IdMap();
  private readonly countryVocab = new IdMap();

  /** Adds the user as the next user index of `users`; throws on a repeated id. */
  add(users: IdMap, row: UserRow): void {
    indexOrThrow(users, row.id, this.roles.length, 'user');
    const role = row.role ?? 'USER';
    const roleIndex = ROLE_INDEX.get(role);
    if (roleIndex === undefined) throw new Error(`user "${row.id}": unknown role "${role}"`);
    this.roles.push(roleIndex);
    this.ages.push(row.age ?? Number.NaN);
    this.genders.push(vocabIndex(this.genderVocab, row.gender));
    this.occupations.push(vocabIndex(this.occupationVocab, row.occupation));
    this.countries.push(vocabIndex(this.countryVocab, row.country));
    this.createdAt.push(msToSeconds(row.createdAtMs));
  }

  /** The columns for every index of `users`; users without a row get role USER and unknowns. */
  finish(users: IdMap): UserSideData {
    for (let u = this.roles.length; u < users.size; u++) {
      this.roles.push(0);
      this.ages.push(Number.NaN);
      this.genders.push(-1);
      this.occupations.push(-1);
      this.countries.push(-1);
      this.createdAt.push(Number.NaN);
    }
    return {
      roles: Uint8Array.from(this.roles),
      ages: Float32Array.from(this.ages),
      genders: Int32Array.from(this.genders),
      genderVocab: this.genderVocab,
      occupations: Int32Array.from(this.occupations),
      occupationVocab: this.occupationVocab,
      countries: Int32Array.from(this.countries),
      countryVocab: this.countryVocab,
      createdAt: Float64Array.from(this.createdAt),
    };
  }
}
