import type { Device, Placement, RecommendationFilter, RecordableInteraction } from '@recsys/serving';

/**
 * The TypeScript shapes of the SDL's arguments and input types, as resolvers receive them: enum values are
 * already the engine's (see resolvers/enums.ts), `DateTime` is a Date, and any field may be null.
 */

type Nullable<T> = { [K in keyof T]?: T[K] | null };

export type RecommendationContextInput = Nullable<{
  placement: Placement;
  device: Device;
  time: Date;
  hour: number;
  weekday: number;
  sessionId: string;
  recentlyViewed: string[];
  country: string;
  serviceId: string;
}>;

export type RecommendationFilterInput = Nullable<Required<RecommendationFilter>>;

export interface RecommendationsArgs {
  context?: RecommendationContextInput | null;
  limit?: number | null;
  filter?: RecommendationFilterInput | null;
}

export interface QueryRecommendationsArgs extends RecommendationsArgs {
  userId: string;
}

export interface LimitArgs {
  limit?: number | null;
}

export interface TrendingServicesArgs extends LimitArgs {
  category?: string | null;
}

export type RecordInteractionInput = {
  userId: string;
  serviceId: string;
  type: RecordableInteraction;
  idempotencyKey: string;
} & Nullable<{
  value: number;
  dwellMs: number;
  sessionId: string;
  requestId: string;
  context: RecommendationContextInput;
  occurredAt: Date;
}>;

export interface RecordInteractionArgs {
  input: RecordInteractionInput;
}

export interface RequestRetrainingInput {
  modelType: string;
  datasetId?: string | null;
  placement?: Placement | null;
  params?: Record<string, unknown> | null;
  protocol?: string | null;
}

export interface RequestRetrainingArgs {
  input: RequestRetrainingInput;
}
