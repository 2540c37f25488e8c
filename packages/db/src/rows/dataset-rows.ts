/**
 * The neutral row shapes that every importer (MovieLens, generic CSV, the synthetic marketplace)
 * produces and that the dataset writer bulk-loads. Times are milliseconds since the Unix epoch.
 * `source` says where a row came from (file and line) so that a rejected row can be named.
 */

export const USER_ROLES = ['USER', 'PROVIDER', 'ADMIN'] as const;
export type UserRoleName = (typeof USER_ROLES)[number];

export const PRICING_MODELS = ['FREE', 'PAY_AS_YOU_GO', 'SUBSCRIPTION', 'ENTERPRISE'] as const;
export type PricingModelName = (typeof PRICING_MODELS)[number];

export const SERVICE_STATUSES = ['ACTIVE', 'RETIRED'] as const;
export type ServiceStatusName = (typeof SERVICE_STATUSES)[number];

/** Order matters: the dataset core stores a type as its index in this list (a Uint8Array code). */
export const INTERACTION_TYPES = [
  'IMPRESSION',
  'VIEW',
  'CLICK',
  'API_CALL',
  'SUBSCRIBE',
  'FAVORITE',
  'RATING',
  'REVIEW',
  'PURCHASE',
] as const;
export type InteractionTypeName = (typeof INTERACTION_TYPES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Where a row came from, for error messages: a file and its 1-based line number. */
export interface RowSource {
  file: string;
  line: number;
}

export interface UserRow {
  id: string;
  role?: UserRoleName;
  createdAtMs?: number;
  age?: number | null;
  gender?: string | null;
  occupation?: string | null;
  zipCode?: string | null;
  country?: string | null;
  attributes?: JsonObject | null;
  source?: RowSource;
}

export interface ProviderRow {
  id: string;
  name: string;
  website?: string | null;
  createdAtMs?: number;
  source?: RowSource;
}

export interface ServiceRow {
  id: string;
  providerId?: string | null;
  name: string;
  description?: string | null;
  categories?: readonly string[];
  tags?: readonly string[];
  pricingModel?: PricingModelName;
  priceTier?: number;
  priceUsd?: number | null;
  priceUnit?: string | null;
  freeTier?: boolean;
  status?: ServiceStatusName;
  createdAtMs?: number;
  attributes?: JsonObject | null;
  source?: RowSource;
}

export interface InteractionRow {
  userId: string;
  serviceId: string;
  type: InteractionTypeName;
  value?: number | null;
  dwellMs?: number | null;
  sessionId?: string | null;
  requestId?: string | null;
  context?: JsonObject | null;
  occurredAtMs: number;
  /** Unique within the dataset: a replayed event with the same key is stored once. */
  idempotencyKey: string;
  source?: RowSource;
}

export interface TagAssignmentRow {
  userId: string;
  serviceId: string;
  tag: string;
  occurredAtMs: number;
  source?: RowSource;
}

type RowStream<T> = Iterable<T> | AsyncIterable<T>;

/**
 * Everything one import writes into one dataset. Streams are consumed once, in this order:
 * providers, users, services, interactions, tag assignments.
 * When `users` (or `services`) is absent, the ids the interactions and tags mention are created as bare
 * users (services named after their id); when it is present, an unknown id is an error.
 */
export interface DatasetRows {
  providers?: RowStream<ProviderRow>;
  users?: RowStream<UserRow>;
  services?: RowStream<ServiceRow>;
  interactions?: RowStream<InteractionRow>;
  tagAssignments?: RowStream<TagAssignmentRow>;
}
