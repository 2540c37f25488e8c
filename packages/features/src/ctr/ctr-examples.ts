import { INTERACTION_TYPES } from '@recsys/db';
import type { InteractionDataset } from '@recsys/data';
import { FeatureError, FeatureErrorCode } from '../errors';
import {
  ContextFeaturePipeline,
  type ContextFeaturePipelineOptions,
} from '../pipelines/context-feature-pipeline';
import {
  ServiceFeaturePipeline,
  type ServiceFeaturePipelineOptions,
} from '../pipelines/service-feature-pipeline';
import { UserFeaturePipeline, type UserFeaturePipelineOptions } from '../pipelines/user-feature-pipeline';
import {
  eventContextRecord,
  eventContexts,
  type ContextRecord,
  type EventContexts,
} from '../records/event-context';
import { recordOptions, type RecordOptions } from '../records/record-options';
import { serviceRecords, type ServiceRecord } from '../records/service-records';
import { userRecords, type UserRecord } from '../records/user-records';
import { FeatureSchema } from '../schema';

/** Device and time zone of an event, where the caller knows them (the log does not carry them). */
export type EventExtras = (event: number) => { utcOffsetHours?: number; device?: string | null };

/** Fitted pipelines plus the raw records they transform (computed from the training events). */
export interface CtrFeaturePipelines {
  user: UserFeaturePipeline;
  service: ServiceFeaturePipeline;
  context: ContextFeaturePipeline;
  /** Per dense user index, aggregated over the training events only. */
  users: readonly UserRecord[];
  /** Per dense item index, aggregated over the training events only. */
  services: readonly ServiceRecord[];
  /** Session context of every event of the log (see `eventContexts`); computed on demand when absent. */
  contexts?: EventContexts;
}

export interface FitCtrPipelinesOptions {
  recordOptions?: Partial<RecordOptions>;
  user?: Omit<UserFeaturePipelineOptions, 'recordOptions'>;
  service?: Omit<ServiceFeaturePipelineOptions, 'recordOptions'>;
  context?: Omit<ContextFeaturePipelineOptions, 'recordOptions'>;
  /** Per dense user index (NaN unknown), e.g. from the synthetic users' attributes. */
  declaredPriceSensitivity?: ArrayLike<number>;
  eventExtras?: EventExtras;
}

/**
 * Builds records from the training events `train` (e.g. `split.train`) and fits the user, service and context
 * pipelines on them. The catalog's price tiers (side data, not events) feed the derived price sensitivity.
 */
export function fitCtrPipelines(
  dataset: InteractionDataset,
  train: ArrayLike<number>,
  options: FitCtrPipelinesOptions = {},
): CtrFeaturePipelines {
  const ro = recordOptions(options.recordOptions);
  const users = userRecords(dataset, {
    ...ro,
    events: train,
    declaredPriceSensitivity: options.declaredPriceSensitivity,
  });
  const services = serviceRecords(dataset, { ...ro, events: train });
  const contexts = eventContexts(dataset.log, ro);
  const extras = options.eventExtras;
  function* trainContexts(): Generator<ContextRecord> {
    for (let k = 0; k < train.length; k++)
      yield eventContextRecord(dataset.log, contexts, train[k], extras ? extras(train[k]) : {});
  }
  return {
    user: UserFeaturePipeline.fit(users, {
      ...options.user,
      recordOptions: ro,
      catalogPriceTiers: options.user?.catalogPriceTiers ?? dataset.itemSide?.priceTiers,
    }),
    service: ServiceFeaturePipeline.fit(services, { ...options.service, recordOptions: ro }),
    context: ContextFeaturePipeline.fit(trainContexts(), { ...options.context, recordOptions: ro }),
    users,
    services,
    contexts,
  };
}

/** The layout of a CTR row: user | item | context, names prefixed `user.`, `item.`, `context.`. */
export function ctrSchema(p: Pick<CtrFeaturePipelines, 'user' | 'service' | 'context'>): FeatureSchema {
  return FeatureSchema.concat('ctr', [
    { name: 'user', schema: p.user.schema },
    { name: 'item', schema: p.service.schema },
    { name: 'context', schema: p.context.schema },
  ]);
}

/** A label per event: 0/1 (or a soft target), NaN to leave the event out. */
export type CtrLabel = (value: number, typeCode: number) => number;

const RATING_CODES = new Set([INTERACTION_TYPES.indexOf('RATING'), INTERACTION_TYPES.indexOf('REVIEW')]);

/** 1 when a RATING/REVIEW value is ≥ threshold, else 0; other events (no rating) are left out. */
export function ratingLabel(threshold = 4): CtrLabel {
  return (value, type) =>
    RATING_CODES.has(type) && Number.isFinite(value) ? (value >= threshold ? 1 : 0) : Number.NaN;
}

export interface CtrExamplesOptions {
  /** Rows per batch (the last may be smaller). Default 1024. */
  batchSize?: number;
  /** Default `ratingLabel(4)` (MovieLens: liked = 4 or 5 stars). */
  label?: CtrLabel;
  eventExtras?: EventExtras;
}

/** One batch of CTR rows; row r is event `events[r]`. */
export interface CtrBatch {
  size: number;
  events: Int32Array;
  users: Int32Array;
  items: Int32Array;
  labels: Float32Array;
  /** size × schema.denseWidth: user | item | context (see `ctrSchema`). */
  dense: Float32Array;
  /** size × schema.categoricalCount. */
  categorical: Int32Array;
  schema: FeatureSchema;
}

/**
 * (user features, item features, context features, label) rows for a CTR model over `events` (e.g.
 * `split.test`), in bounded batches: at most `batchSize` rows are held per batch, and the only other memory is
 * one feature row per user and per item (transformed once) and the log's session context.
 *
 * User and item features come from `pipelines.users/services`, aggregates of the training events. For training
 * rows those aggregates include the row's own event (e.g. its rating in the user's mean rating): the usual
 * static-profile approximation, not a point-in-time feature; the context features are point-in-time.
 */
export function* ctrExamples(
  dataset: InteractionDataset,
  events: ArrayLike<number>,
  pipelines: CtrFeaturePipelines,
  options: CtrExamplesOptions = {},
): Generator<CtrBatch> {
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new FeatureError(FeatureErrorCode.BAD_OPTION, `batchSize must be an integer ≥ 1, got ${batchSize}`);
  const label = options.label ?? ratingLabel(4);
  const { log } = dataset;
  const schema = ctrSchema(pipelines);
  const userRows = pipelines.user.transformAll(pipelines.users);
  const itemRows = pipelines.service.transformAll(pipelines.services);
  if (userRows.rows < dataset.users.size || itemRows.rows < dataset.items.size)
    throw new FeatureError(
      FeatureErrorCode.BAD_OPTION,
      'ctrExamples: records do not cover every user and item',
    );
  const contexts = pipelines.contexts ?? eventContexts(log, pipelines.context.recordOptions);
  const ub = schema.block('user');
  const ib = schema.block('item');
  const cb = schema.block('context');
  const dw = schema.denseWidth;
  const cw = schema.categoricalCount;

  let k = 0;
  while (k < events.length) {
    const picked: number[] = [];
    const labels: number[] = [];
    for (; k < events.length && picked.length < batchSize; k++) {
      const e = events[k];
      const y = label(log.values[e], log.types[e]);
      if (Number.isNaN(y)) continue;
      picked.push(e);
      labels.push(y);
    }
    const n = picked.length;
    if (n === 0) break;
    const batch: CtrBatch = {
      size: n,
      events: Int32Array.from(picked),
      users: new Int32Array(n),
      items: new Int32Array(n),
      labels: Float32Array.from(labels),
      dense: new Float32Array(n * dw),
      categorical: new Int32Array(n * cw),
      schema,
    };
    for (let r = 0; r < n; r++) {
      const e = picked[r];
      const u = log.users[e];
      const i = log.items[e];
      batch.users[r] = u;
      batch.items[r] = i;
      const d = r * dw;
      const c = r * cw;
      batch.dense.set(
        userRows.dense.subarray(u * ub.denseWidth, (u + 1) * ub.denseWidth),
        d + ub.denseOffset,
      );
      batch.dense.set(
        itemRows.dense.subarray(i * ib.denseWidth, (i + 1) * ib.denseWidth),
        d + ib.denseOffset,
      );
      batch.categorical.set(
        userRows.categorical.subarray(u * ub.categoricalCount, (u + 1) * ub.categoricalCount),
        c + ub.categoricalOffset,
      );
      batch.categorical.set(
        itemRows.categorical.subarray(i * ib.categoricalCount, (i + 1) * ib.categoricalCount),
        c + ib.categoricalOffset,
      );
      const ctx = eventContextRecord(log, contexts, e, options.eventExtras ? options.eventExtras(e) : {});
      pipelines.context.transform(
        ctx,
        batch.dense,
        d + cb.denseOffset,
        batch.categorical,
        c + cb.categoricalOffset,
      );
    }
    yield batch;
  }
}
