import { z } from 'zod';
import { createModel, isModelName, MODEL_NAMES, type ModelName } from '@recsys/models';
import type { ProtocolName } from '../evaluation/protocol';
import type { ComputeBackend } from '../pipelines/training-runtime';
import { SEARCH_SPACES, type TunableModelName } from '../tuning/model-search-spaces';
import { validateSearchSpace, type SearchSpace } from '../tuning/search-space';
import { invalidPayload, type PayloadIssue } from './errors';

/**
 * The one contract between the producers of training work (the CLI, schedules) and its consumers (the
 * worker): queue names, job names, payload schemas (zod), results, progress and retry policy.
 *
 * Rolling deploys: payloads are parsed leniently (unknown keys are dropped, so an older worker accepts a
 * newer producer's extra field) and every field added later must be optional. Model parameters are the
 * exception: they are checked strictly against the model's own schema, so a typo fails at once.
 */

export const QueueName = {
  /** On-demand and scheduled training jobs (CPU nodes). */
  TRAINING: 'training',
  /** The same jobs for nodes with a GPU (consumed where WORKER_GPU=true). */
  TRAINING_GPU: 'training-gpu',
  EVALUATION: 'evaluation',
  /** Hyper-parameter searches (`tune` parents) and their trials (`trial` children). */
  TUNING: 'tuning',
  /** Jobs that failed for good, copied here with their failure; nothing consumes it. */
  DEAD_LETTER: 'dead-letter',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** The queues a worker can consume (every queue but the dead-letter one). */
export const WORK_QUEUES = [
  QueueName.TRAINING,
  QueueName.TRAINING_GPU,
  QueueName.EVALUATION,
  QueueName.TUNING,
] as const;
export type WorkQueueName = (typeof WORK_QUEUES)[number];

export function isWorkQueueName(name: string): name is WorkQueueName {
  return (WORK_QUEUES as readonly string[]).includes(name);
}

export const JobName = {
  TRAIN: 'train',
  EVALUATE: 'evaluate',
  TUNE: 'tune',
  TRIAL: 'trial',
  DEAD_LETTER: 'dead-letter',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** The queue prefix (Redis key namespace) when QUEUE_PREFIX is unset. */
export const DEFAULT_QUEUE_PREFIX = 'recsys';

/**
 * Retry policy of every job: 3 attempts, exponential back-off from 10 s (10 s, 20 s). Failures that no
 * retry can fix (a malformed payload, unknown parameters) fail at once instead (see `isPermanentFailure`).
 */
export const JOB_RETRY_POLICY = {
  attempts: 3,
  backoff: { type: 'exponential' as const, delay: 10_000 },
};

/** What producers pass to `Queue.add` besides the retry policy: how long finished jobs are kept. */
export const JOB_RETENTION = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** Options of every job a producer adds (retry policy and retention). */
export const DEFAULT_JOB_OPTIONS = { ...JOB_RETRY_POLICY, ...JOB_RETENTION };

// ---------------------------------------------------------------------------------------------------
// Payloads

const DATASET_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const datasetId = z
  .string()
  .regex(DATASET_ID, 'expected a dataset id (1-64 letters, digits, ".", "_" or "-")');
const modelType = z.enum(MODEL_NAMES as [ModelName, ...ModelName[]]);
/** The models a `tune` job can search (those with a search space). */
export const TUNABLE_MODELS = Object.keys(SEARCH_SPACES) as TunableModelName[];
const tunableModelType = z.enum(TUNABLE_MODELS as [TunableModelName, ...TunableModelName[]]);
/** Every protocol but `predefined`, which needs files beside the producer. */
export const JOB_PROTOCOLS = [
  'holdout',
  'cv5',
  'loo-sampled',
  'loo-full',
  'temporal',
] as const satisfies readonly ProtocolName[];
const protocol = z.enum(JOB_PROTOCOLS);
const jsonObject = z.record(z.string(), z.unknown());
const label = z.string().min(1).max(128);

/**
 * Runs a payload's model-parameter check even when other fields failed (zod skips refinements after
 * failed fields by default), as long as the model type itself is valid: every bad field is named at once.
 */
const whenModelKnown = {
  when: (payload: z.core.ParsePayload): boolean => {
    const value: unknown = payload.value;
    return (
      typeof value === 'object' &&
      value !== null &&
      'modelType' in value &&
      typeof value.modelType === 'string' &&
      isModelName(value.modelType)
    );
  },
};

/** Adds an issue at `path` when `params` are not valid parameters of `model` (unknown keys, bad values). */
function checkModelParams(model: string, params: unknown, ctx: z.RefinementCtx, path: string): void {
  try {
    createModel(model).parseParams(params ?? {});
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      path: [path],
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

export const ProtocolOptionsSchema = z
  .object({
    k: z.number().int().positive(),
    seed: z.number().int(),
    holdoutTestFraction: z.number().gt(0).lt(1),
    temporalTestFraction: z.number().gt(0).lt(1),
    sampledNegatives: z.number().int().positive(),
    folds: z.number().int().min(2),
  })
  .partial();

export const TrainingPayloadSchema = z
  .object({
    modelType,
    /** The dataset (namespace) in PostgreSQL, loaded as `db:<datasetId>`. */
    datasetId,
    /** The model's parameters (checked against its schema). */
    params: jsonObject.optional(),
    /** The protocol the registered metrics come from. */
    protocol: protocol.default('holdout'),
    protocolOptions: ProtocolOptionsSchema.optional(),
    /** Where the version will serve; the registry's default ('home') when absent. */
    placement: label.optional(),
    /** Who asked: the registry's createdBy and audit actor. */
    actor: label.default('worker'),
    /** The tracking experiment; `train/<modelType>` when absent. */
    experiment: label.optional(),
  })
  .superRefine((p, ctx) => checkModelParams(p.modelType, p.params, ctx, 'params'), whenModelKnown);
export type TrainingPayload = z.output<typeof TrainingPayloadSchema>;
export type TrainingPayloadInput = z.input<typeof TrainingPayloadSchema>;

export const EvaluationPayloadSchema = z
  .object({
    /** Evaluate a model type with `params`... */
    modelType: modelType.optional(),
    params: jsonObject.optional(),
    /** ...or a registered version: its type refitted with its parameters on the protocol's folds. */
    versionId: z.string().uuid().optional(),
    /** Required with `modelType`; default with `versionId`: the dataset the version was trained on. */
    datasetId: datasetId.optional(),
    protocol: protocol.default('holdout'),
    protocolOptions: ProtocolOptionsSchema.optional(),
    /** The tracking experiment; `evaluate/<modelType>` when absent. */
    experiment: label.optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.modelType === undefined) === (p.versionId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['modelType'],
        message: 'give exactly one of modelType and versionId',
      });
    }
    if (p.modelType !== undefined && p.datasetId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['datasetId'], message: 'required with modelType' });
    }
    if (p.versionId !== undefined && p.params !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['params'],
        message: 'a version is evaluated with its own parameters',
      });
    }
  })
  .superRefine((p, ctx) => {
    if (p.modelType !== undefined) checkModelParams(p.modelType, p.params, ctx, 'params');
  }, whenModelKnown);
export type EvaluationPayload = z.output<typeof EvaluationPayloadSchema>;
export type EvaluationPayloadInput = z.input<typeof EvaluationPayloadSchema>;

const dimension = z.discriminatedUnion('type', [
  z.object({ type: z.literal('loguniform'), low: z.number(), high: z.number() }),
  z.object({ type: z.literal('uniform'), low: z.number(), high: z.number() }),
  z.object({
    type: z.literal('int'),
    low: z.number().int(),
    high: z.number().int(),
    log: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('categorical'),
    choices: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
  }),
]);
const searchSpace = z.record(z.string(), dimension).superRefine((space, ctx) => {
  try {
    validateSearchSpace(space);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

export const TuneObjectiveSchema = z.object({
  /** A key of the evaluation's metrics (`ndcg@10`, `recall@20`, `rmse`). */
  metric: z.string().min(1).default('ndcg@10'),
  /** Default: minimise error metrics (rmse, mae), maximise the rest. */
  direction: z.enum(['maximize', 'minimize']).optional(),
});
export type TuneObjective = z.output<typeof TuneObjectiveSchema>;

export const PrunerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({
    type: z.literal('median'),
    nStartupTrials: z.number().int().min(0).optional(),
    nWarmupSteps: z.number().int().min(0).optional(),
    intervalSteps: z.number().int().min(1).optional(),
    nMinTrials: z.number().int().min(1).optional(),
  }),
]);
export type PrunerPayload = z.output<typeof PrunerSchema>;

const intermediate = z.array(z.object({ step: z.number(), value: z.number() }));

export const TrialRecordSchema = z.object({
  number: z.number().int().min(0),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  value: z.number().nullable(),
  state: z.enum(['COMPLETE', 'PRUNED', 'FAILED']),
  intermediate,
  error: z.string().optional(),
});

/** Where a search stands between the parent's runs (written by the worker into the parent's data). */
export const TuneStateSchema = z.object({
  phase: z.enum(['propose', 'waiting', 'final']),
  /** The batch being waited for: each trial's number and proposed configuration. */
  batch: z.array(
    z.object({
      number: z.number().int().min(0),
      params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    }),
  ),
  finished: z.array(TrialRecordSchema),
  /** Which worker ran each finished trial. */
  ranBy: z.array(z.object({ number: z.number().int(), workerId: z.string(), pid: z.number().int() })),
});
export type TuneState = z.output<typeof TuneStateSchema>;

export const TunePayloadSchema = z
  .object({
    modelType: tunableModelType,
    datasetId,
    /** The budget: trials in all, whatever their outcome. */
    trials: z.number().int().min(1).max(1000),
    /** Trials proposed (and run) at once: one batch of child jobs. */
    parallel: z.number().int().min(1).max(64).default(4),
    sampler: z
      .object({ type: z.enum(['tpe', 'random']), seed: z.number().int().default(0) })
      .default({ type: 'tpe', seed: 0 }),
    objective: TuneObjectiveSchema.default({ metric: 'ndcg@10' }),
    protocol: protocol.default('holdout'),
    protocolOptions: ProtocolOptionsSchema.optional(),
    pruner: PrunerSchema.default({ type: 'median' }),
    /** The search space; the model's `SEARCH_SPACES` entry when absent. */
    space: searchSpace.optional(),
    /** Parameters every trial and the final model share (not searched). */
    fixedParams: jsonObject.optional(),
    placement: label.optional(),
    actor: label.default('worker'),
    /** The tracking experiment of the trials and the final model; `tune/<modelType>` when absent. */
    experiment: label.optional(),
    /** Written by the worker between batches; producers leave it out. */
    state: TuneStateSchema.optional(),
  })
  .superRefine((p, ctx) => {
    checkModelParams(p.modelType, p.fixedParams, ctx, 'fixedParams');
    const space = p.space ?? SEARCH_SPACES[p.modelType];
    const known = Object.keys(createModel(p.modelType).parseParams({}));
    for (const key of Object.keys(space)) {
      if (!known.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['space', key],
          message: `not a parameter of ${p.modelType} (known: ${known.join(', ')})`,
        });
      }
    }
  });
export type TunePayload = z.output<typeof TunePayloadSchema>;
export type TunePayloadInput = z.input<typeof TunePayloadSchema>;

/** A pruner's view of a finished trial, passed to every trial of the next batches. */
const prunerHistory = z.array(
  z.object({ number: z.number().int(), state: z.enum(['COMPLETE', 'PRUNED', 'FAILED']), intermediate }),
);

export const TrialPayloadSchema = z.object({
  /** The parent `tune` job's source id (`sourceJobIdOf`). */
  tuneJobId: z.string().min(1),
  number: z.number().int().min(0),
  modelType: tunableModelType,
  datasetId,
  /** The proposed configuration. */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  fixedParams: jsonObject.optional(),
  objective: z.object({ metric: z.string().min(1), direction: z.enum(['maximize', 'minimize']) }),
  protocol,
  protocolOptions: ProtocolOptionsSchema.optional(),
  pruner: PrunerSchema,
  history: prunerHistory,
  experiment: label,
});
export type TrialPayload = z.output<typeof TrialPayloadSchema>;

/** Every job's payload schema, by queue and job name. */
export const PAYLOAD_SCHEMAS = {
  [JobName.TRAIN]: TrainingPayloadSchema,
  [JobName.EVALUATE]: EvaluationPayloadSchema,
  [JobName.TUNE]: TunePayloadSchema,
  [JobName.TRIAL]: TrialPayloadSchema,
} as const;
export type PayloadJobName = keyof typeof PAYLOAD_SCHEMAS;
/** The parsed payload of job `N`. */
export type PayloadOf<N extends PayloadJobName> = z.output<(typeof PAYLOAD_SCHEMAS)[N]>;

/** The job names each work queue takes. */
export const QUEUE_JOBS: Readonly<Record<WorkQueueName, readonly PayloadJobName[]>> = {
  [QueueName.TRAINING]: [JobName.TRAIN],
  [QueueName.TRAINING_GPU]: [JobName.TRAIN],
  [QueueName.EVALUATION]: [JobName.EVALUATE],
  [QueueName.TUNING]: [JobName.TUNE, JobName.TRIAL],
};

/**
 * Validates a job's payload: the typed payload, or INVALID_PAYLOAD naming every bad field
 * (`training job "train": datasetId: ...; params: als: unknown parameter(s) "factorz"`).
 */
export function parsePayload<N extends PayloadJobName>(name: N, data: unknown): PayloadOf<N> {
  const schema: z.ZodType = PAYLOAD_SCHEMAS[name];
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues: PayloadIssue[] = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String),
      message: issue.message,
    }));
    const problems = issues.map(({ path, message }) => {
      const at = path.length > 0 ? path.join('.') : 'payload';
      return `${at}: ${message}`;
    });
    throw invalidPayload(`job "${name}": ${problems.join('; ')}`, issues);
  }
  return parsed.data as PayloadOf<N>;
}

/** The objective's direction: the one given, else minimise error metrics (rmse, mae), maximise the rest. */
export function objectiveDirection(objective: TuneObjective): 'maximize' | 'minimize' {
  if (objective.direction) return objective.direction;
  return /^(rmse|mae|mse|loss)\b/i.test(objective.metric) ? 'minimize' : 'maximize';
}

/** The search space of a tune payload: its own, or the model's default. */
export function searchSpaceOf(payload: Pick<TunePayload, 'modelType' | 'space'>): SearchSpace {
  return payload.space ?? SEARCH_SPACES[payload.modelType];
}

// ---------------------------------------------------------------------------------------------------
// Identity, progress, results

/** The parts of a job that identify it across retries, stalls and Redis restarts. */
export interface JobIdentity {
  /** `${prefix}:${queue}` (BullMQ's `job.queueQualifiedName`). */
  queueQualifiedName: string;
  id?: string;
  /** Creation time in ms: kept across retries, so a reused id after a Redis flush is told apart. */
  timestamp: number;
}

/**
 * The id a job registers its model version under (the registry's unique `sourceJobId`): the same for
 * every attempt of one job, different for any other job, even one that reuses the id after a Redis flush.
 */
export function sourceJobIdOf(job: JobIdentity): string {
  if (job.id === undefined) throw new Error('a job without an id has no source id');
  return `${job.queueQualifiedName}:${job.id}@${job.timestamp}`;
}

/** Where a job is, as `job.updateProgress` publishes it and `recsys train --wait` draws it. */
export const JobProgressSchema = z.object({
  phase: z.enum(['load', 'evaluate', 'fit', 'save', 'register', 'track', 'trials', 'final']),
  /** 0..1 of the phase. */
  fraction: z.number().min(0).max(1),
  fold: z.string().optional(),
  epoch: z.number().optional(),
  epochs: z.number().optional(),
  loss: z.number().optional(),
  metric: z.object({ name: z.string(), value: z.number() }).optional(),
  trialsDone: z.number().int().optional(),
  trialsTotal: z.number().int().optional(),
  bestValue: z.number().nullable().optional(),
});
export type JobProgress = z.output<typeof JobProgressSchema>;

/** The compute a job ran on (see pipelines/training-runtime.ts). */
export type { ComputeBackend };

export interface TrainingJobResult {
  versionId: string;
  modelType: string;
  version: number;
  placement: string;
  stage: string;
  metrics: Record<string, number>;
  protocol: string | null;
  artifactUri: string;
  trackingRunId: string | null;
  backend: ComputeBackend;
  /** The batch size a deep model trained with on that backend (absent for the classical models). */
  batchSize?: number;
  workerId: string;
  /** True when an earlier attempt of this job had registered the version already. */
  reused: boolean;
}

export interface EvaluationJobResult {
  modelType: string;
  versionId: string | null;
  datasetId: string;
  protocol: string;
  metrics: Record<string, number>;
  params: object;
  folds: number;
  fitSeconds: number;
  scoreSeconds: number;
  trackingRunId: string;
  backend: ComputeBackend;
  workerId: string;
}

export type TrialRecordJson = z.output<typeof TrialRecordSchema>;

export const TrialJobResultSchema = z.object({
  record: TrialRecordSchema,
  workerId: z.string(),
  pid: z.number().int(),
  seconds: z.number(),
  trackingRunId: z.string().nullable(),
  backend: z.string(),
});
export type TrialJobResult = z.output<typeof TrialJobResultSchema>;

export interface TuneJobResult {
  objective: { metric: string; direction: 'maximize' | 'minimize' };
  best: TrialRecordJson;
  trials: TrialRecordJson[];
  /** Which worker (id and pid) ran each trial. */
  ranBy: TuneState['ranBy'];
  /** The best configuration trained on all the data and registered. */
  model: TrainingJobResult;
}

/** A job that failed for good, as the dead-letter queue keeps it. */
export const DeadLetterEntrySchema = z.object({
  queue: z.string(),
  jobId: z.string(),
  name: z.string(),
  data: z.unknown(),
  failedReason: z.string(),
  attemptsMade: z.number().int(),
  /** True when it failed without retries (a malformed payload, bad parameters). */
  unrecoverable: z.boolean(),
  failedAt: z.string(),
  workerId: z.string(),
});
export type DeadLetterEntry = z.output<typeof DeadLetterEntrySchema>;
