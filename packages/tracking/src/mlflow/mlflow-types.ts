/**
 * The MLflow 2.x REST API 2.0 messages this client uses (mlflow/protos/service.proto and
 * model_registry.proto), snake_case as on the wire. Responses are parsed with zod: MLflow omits unset and
 * empty fields, so lists default to [] and most scalars are optional; int64 fields arrive as JSON numbers
 * (MLflow's message_to_json) but strings are accepted too.
 */
import { z } from 'zod';

const int64 = z.union([z.number(), z.string()]).transform((v) => Number(v));
/** Metric values may be serialised as "NaN" / "Infinity". */
const double = z.union([z.number(), z.string()]).transform((v) => Number(v));

export const mlflowKeyValueSchema = z.object({ key: z.string(), value: z.string().default('') });
export type MlflowKeyValue = { key: string; value: string };
/** A run tag, a parameter, an experiment tag: `{ key, value }`. */
export type MlflowTag = MlflowKeyValue;
export type MlflowParam = MlflowKeyValue;

export const mlflowMetricSchema = z.object({
  key: z.string(),
  value: double,
  timestamp: int64,
  step: int64.default(0),
});
/** `{ key, value, timestamp (ms since the epoch), step }`. */
export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export const mlflowExperimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  lifecycle_stage: z.string().optional(),
  last_update_time: int64.optional(),
  creation_time: int64.optional(),
  tags: z.array(mlflowKeyValueSchema).default([]),
});
export type MlflowExperiment = z.infer<typeof mlflowExperimentSchema>;

export const MLFLOW_RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type MlflowRunStatus = (typeof MLFLOW_RUN_STATUSES)[number];

export const mlflowRunInfoSchema = z.object({
  run_id: z.string(),
  run_uuid: z.string().optional(),
  run_name: z.string().optional(),
  experiment_id: z.string(),
  user_id: z.string().optional(),
  status: z.enum(MLFLOW_RUN_STATUSES).default('RUNNING'),
  start_time: int64.optional(),
  end_time: int64.optional(),
  artifact_uri: z.string().optional(),
  lifecycle_stage: z.string().optional(),
});
export type MlflowRunInfo = z.infer<typeof mlflowRunInfoSchema>;

export const mlflowRunSchema = z.object({
  info: mlflowRunInfoSchema,
  data: z
    .object({
      metrics: z.array(mlflowMetricSchema).default([]),
      params: z.array(mlflowKeyValueSchema).default([]),
      tags: z.array(mlflowKeyValueSchema).default([]),
    })
    .default({ metrics: [], params: [], tags: [] }),
});
export type MlflowRun = z.infer<typeof mlflowRunSchema>;

export const mlflowRegisteredModelSchema = z.object({
  name: z.string(),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  description: z.string().optional(),
});
export type MlflowRegisteredModel = z.infer<typeof mlflowRegisteredModelSchema>;

export const mlflowModelVersionSchema = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: int64.optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  current_stage: z.string().optional(),
  aliases: z.array(z.string()).default([]),
});
export type MlflowModelVersion = z.infer<typeof mlflowModelVersionSchema>;

// Responses, one per endpoint used.
export const getExperimentResponse = z.object({ experiment: mlflowExperimentSchema });
export const createExperimentResponse = z.object({ experiment_id: z.string() });
export const runResponse = z.object({ run: mlflowRunSchema });
export const updateRunResponse = z.object({ run_info: mlflowRunInfoSchema.optional() });
export const searchRunsResponse = z.object({
  runs: z.array(mlflowRunSchema).default([]),
  next_page_token: z.string().optional(),
});
export const metricHistoryResponse = z.object({
  metrics: z.array(mlflowMetricSchema).default([]),
  next_page_token: z.string().optional(),
});
export const registeredModelResponse = z.object({ registered_model: mlflowRegisteredModelSchema });
export const modelVersionResponse = z.object({ model_version: mlflowModelVersionSchema });
export const emptyResponse = z.object({});
/** MLflow's error body. */
export const errorResponse = z.object({ error_code: z.string(), message: z.string().default('') });

/** Request bodies (POST) and query parameters (GET), as sent. */
export interface CreateExperimentRequest {
  name: string;
  artifact_location?: string;
  tags?: MlflowTag[];
}
export interface CreateRunRequest {
  experiment_id: string;
  run_name?: string;
  /** Milliseconds since the epoch. */
  start_time: number;
  tags?: MlflowTag[];
}
export interface UpdateRunRequest {
  run_id: string;
  status: MlflowRunStatus;
  end_time?: number;
}
export interface LogBatchRequest {
  run_id: string;
  metrics: MlflowMetric[];
  params: MlflowParam[];
  tags: MlflowTag[];
}
export interface SearchRunsRequest {
  experiment_ids: string[];
  filter?: string;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}
export interface CreateModelVersionRequest {
  name: string;
  source: string;
  run_id?: string;
}
export interface SetRegisteredModelAliasRequest {
  name: string;
  alias: string;
  version: string;
}
