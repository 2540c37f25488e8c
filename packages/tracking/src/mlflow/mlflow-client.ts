import { type z } from 'zod';
import { TrackingError, TrackingErrorCode } from '../errors';
import { MAX_PARAM_VALUE_LENGTH } from '../run-input';
import { logBatchChunks, type BatchItems } from './log-batch-chunks';
import { MlflowError, MlflowErrorCode, isMlflowError } from './mlflow-error';
import {
  createExperimentResponse,
  emptyResponse,
  errorResponse,
  getExperimentResponse,
  metricHistoryResponse,
  modelVersionResponse,
  registeredModelResponse,
  runResponse,
  searchRunsResponse,
  updateRunResponse,
  type CreateExperimentRequest,
  type CreateModelVersionRequest,
  type CreateRunRequest,
  type MlflowExperiment,
  type MlflowMetric,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
  type MlflowRun,
  type MlflowRunInfo,
  type SearchRunsRequest,
  type SetRegisteredModelAliasRequest,
  type UpdateRunRequest,
} from './mlflow-types';

export interface MlflowClientOptions {
  /** The tracking server, `http(s)://host[:port][/prefix]` (MLFLOW_TRACKING_URI). */
  trackingUri: string;
  /** MLFLOW_TRACKING_TOKEN: sent as `Authorization: Bearer <token>`. */
  token?: string;
  /**
   * MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD: sent as HTTP Basic. When both these and a token
   * are set, Basic wins, as in MLflow's own client.
   */
  username?: string;
  password?: string;
  /** Tries per request, the first included; 429, 5xx and network failures are retried. @defaultValue 4 */
  maxAttempts?: number;
  /** The first retry waits this long, each later one twice the one before. @defaultValue 500 */
  retryBaseDelayMs?: number;
  /** The longest wait between tries (also caps a 429's Retry-After). @defaultValue 10_000 */
  retryMaxDelayMs?: number;
  /** Per try. @defaultValue 60_000 */
  timeoutMs?: number;
  /** For tests and instrumentation. @defaultValue the global fetch */
  fetch?: typeof fetch;
}

const DEFAULTS = {
  maxAttempts: 4,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 10_000,
  timeoutMs: 60_000,
} as const;

type Query = Record<string, string | number | undefined>;

/**
 * A small typed client of the MLflow 2.x tracking server's REST API 2.0 (`/api/2.0/mlflow/...`) and of its
 * artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/...`). Errors are `MlflowError`s carrying MLflow's
 * `error_code`, `message` and the HTTP status; 429 and 5xx answers are retried with exponential backoff,
 * other 4xx never.
 */
export class MlflowClient {
  readonly trackingUri: string;
  private readonly options: Required<Pick<MlflowClientOptions, keyof typeof DEFAULTS>>;
  private readonly authorization: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(options: MlflowClientOptions) {
    const url = new URL(options.trackingUri);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TrackingError(
        TrackingErrorCode.INVALID_CONFIG,
        `MLflow tracking URI "${options.trackingUri}": only http(s) tracking servers are supported`,
      );
    }
    this.trackingUri = options.trackingUri.replace(/\/+$/, '');
    this.options = {
      maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
      retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs,
      retryMaxDelayMs: options.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    };
    if (!Number.isInteger(this.options.maxAttempts) || this.options.maxAttempts < 1) {
      throw new TrackingError(TrackingErrorCode.INVALID_CONFIG, 'maxAttempts must be a positive integer');
    }
    if (options.username && options.password) {
      const basic = Buffer.from(`${options.username}:${options.password}`).toString('base64');
      this.authorization = `Basic ${basic}`;
    } else if (options.token) {
      this.authorization = `Bearer ${options.token}`;
    }
    this.fetchImpl = options.fetch ?? fetch;
  }

  // Experiments

  /** `GET experiments/get-by-name`; null when MLflow answers RESOURCE_DOES_NOT_EXIST. */
  async getExperimentByName(name: string): Promise<MlflowExperiment | null> {
    try {
      const res = await this.get('experiments/get-by-name', { experiment_name: name }, getExperimentResponse);
      return res.experiment;
    } catch (error) {
      if (isMlflowError(error, MlflowErrorCode.RESOURCE_DOES_NOT_EXIST)) return null;
      throw error;
    }
  }

  /** `POST experiments/create`; returns the new experiment's id. */
  async createExperiment(request: CreateExperimentRequest): Promise<string> {
    return (await this.post('experiments/create', request, createExperimentResponse)).experiment_id;
  }

  /**
   * The experiment of that name, created when missing (a concurrent create that wins the race is read
   * back).
   */
  async getOrCreateExperiment(name: string): Promise<MlflowExperiment> {
    const found = await this.getExperimentByName(name);
    if (found) return found;
    try {
      const id = await this.createExperiment({ name });
      return { experiment_id: id, name, tags: [] };
    } catch (error) {
      if (!isMlflowError(error, MlflowErrorCode.RESOURCE_ALREADY_EXISTS)) throw error;
      const raced = await this.getExperimentByName(name);
      if (!raced) throw error;
      return raced;
    }
  }

  // Runs

  /** `POST runs/create`. */
  async createRun(request: CreateRunRequest): Promise<MlflowRun> {
    return (await this.post('runs/create', request, runResponse)).run;
  }

  /** `POST runs/update`. */
  async updateRun(request: UpdateRunRequest): Promise<MlflowRunInfo | undefined> {
    return (await this.post('runs/update', request, updateRunResponse)).run_info;
  }

  /** `GET runs/get`. */
  async getRun(runId: string): Promise<MlflowRun> {
    return (await this.get('runs/get', { run_id: runId }, runResponse)).run;
  }

  /** `POST runs/search`, one page. */
  async searchRuns(request: SearchRunsRequest): Promise<{ runs: MlflowRun[]; nextPageToken?: string }> {
    const res = await this.post('runs/search', request, searchRunsResponse);
    return { runs: res.runs, ...(res.next_page_token ? { nextPageToken: res.next_page_token } : {}) };
  }

  /**
   * `POST runs/log-batch`, split into as many requests as MLflow's limits need (1000 metrics, 100 params,
   * 100 tags, 1000 items in all, 1 MB). Parameter values over MAX_PARAM_VALUE_LENGTH are refused before
   * anything is sent.
   */
  async logBatch(runId: string, items: BatchItems): Promise<void> {
    for (const param of items.params ?? []) {
      if (param.value.length > MAX_PARAM_VALUE_LENGTH) {
        throw new MlflowError(
          MlflowErrorCode.INVALID_PARAMETER_VALUE,
          `param "${param.key}" has ${param.value.length} characters; MLflow keeps at most ${MAX_PARAM_VALUE_LENGTH}`,
          null,
        );
      }
    }
    for (const chunk of logBatchChunks(runId, items)) await this.post('runs/log-batch', chunk, emptyResponse);
  }

  /** `GET metrics/get-history`, following `next_page_token` to the end. */
  async getMetricHistory(runId: string, metricKey: string): Promise<MlflowMetric[]> {
    const out: MlflowMetric[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.get(
        'metrics/get-history',
        { run_id: runId, metric_key: metricKey, page_token: pageToken },
        metricHistoryResponse,
      );
      out.push(...res.metrics);
      pageToken = res.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  // Model registry

  /** `POST registered-models/create` (RESOURCE_ALREADY_EXISTS when the name is taken). */
  async createRegisteredModel(name: string): Promise<MlflowRegisteredModel> {
    return (await this.post('registered-models/create', { name }, registeredModelResponse)).registered_model;
  }

  /** `POST model-versions/create`. */
  async createModelVersion(request: CreateModelVersionRequest): Promise<MlflowModelVersion> {
    return (await this.post('model-versions/create', request, modelVersionResponse)).model_version;
  }

  /** `POST registered-models/alias`. */
  async setRegisteredModelAlias(request: SetRegisteredModelAliasRequest): Promise<void> {
    await this.post('registered-models/alias', request, emptyResponse);
  }

  // Artifacts

  /**
   * Uploads one file with `PUT /api/2.0/mlflow-artifacts/artifacts/<root>/<path>`, where `<root>` is the
   * path of the run's `mlflow-artifacts:` artifact URI (`mlflow-artifacts:/<experiment>/<run>/artifacts`,
   * the layout of a server that serves artifacts). The upload goes to the tracking server even when the
   * URI names a host. Other schemes (s3:, file:, ...) mean the server does not proxy artifacts:
   * UNSUPPORTED_ARTIFACT_URI.
   */
  async uploadArtifact(artifactUri: string, artifactPath: string, body: Buffer): Promise<void> {
    const root = artifactProxyPath(artifactUri);
    const rel = artifactPath.split('/').filter((s) => s.length > 0);
    const url = `${this.trackingUri}/api/2.0/mlflow-artifacts/artifacts/${[...root, ...rel].map(encodeURIComponent).join('/')}`;
    await this.send('PUT', url, body, 'application/octet-stream');
  }

  // Transport

  private async get<S extends z.ZodType>(endpoint: string, query: Query, schema: S): Promise<z.output<S>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) params.append(key, String(value));
    const qs = params.toString();
    const url = `${this.trackingUri}/api/2.0/mlflow/${endpoint}${qs ? `?${qs}` : ''}`;
    return parseBody(schema, await this.send('GET', url, undefined, undefined), endpoint);
  }

  private async post<S extends z.ZodType>(endpoint: string, body: object, schema: S): Promise<z.output<S>> {
    const url = `${this.trackingUri}/api/2.0/mlflow/${endpoint}`;
    return parseBody(
      schema,
      await this.send('POST', url, JSON.stringify(body), 'application/json'),
      endpoint,
    );
  }

  /** One request with retries; returns the response text of a 2xx answer. */
  private async send(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body: string | Buffer | undefined,
    contentType: string | undefined,
  ): Promise<string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (contentType) headers['Content-Type'] = contentType;
    if (this.authorization) headers.Authorization = this.authorization;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.options.maxAttempts;
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (error) {
        if (last) {
          throw new MlflowError(
            MlflowErrorCode.NETWORK_ERROR,
            `${method} ${url} failed: ${describe(error)}`,
            null,
            {
              cause: error,
            },
          );
        }
        await sleep(this.backoff(attempt, null));
        continue;
      }
      const text = await response.text();
      if (response.ok) return text;
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && !last) {
        await sleep(this.backoff(attempt, response.headers.get('retry-after')));
        continue;
      }
      throw errorFromResponse(method, url, response.status, text);
    }
  }

  private backoff(attempt: number, retryAfter: string | null): number {
    const exponential = this.options.retryBaseDelayMs * 2 ** (attempt - 1);
    const seconds = retryAfter === null ? NaN : Number(retryAfter);
    const requested = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 0;
    return Math.min(Math.max(exponential, requested), this.options.retryMaxDelayMs);
  }
}

/** The path segments of a `mlflow-artifacts:` URI (`mlflow-artifacts:/0/<run>/artifacts` → [0, <run>, artifacts]). */
export function artifactProxyPath(artifactUri: string): string[] {
  let url: URL;
  try {
    url = new URL(artifactUri);
  } catch (error) {
    throw new TrackingError(
      TrackingErrorCode.UNSUPPORTED_ARTIFACT_URI,
      `artifact URI "${artifactUri}" is not a URI`,
      {
        cause: error,
      },
    );
  }
  if (url.protocol !== 'mlflow-artifacts:') {
    throw new TrackingError(
      TrackingErrorCode.UNSUPPORTED_ARTIFACT_URI,
      `artifact URI "${artifactUri}": only mlflow-artifacts: roots (a server run with --serve-artifacts) can be uploaded to`,
    );
  }
  return url.pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s));
}

function parseBody<S extends z.ZodType>(schema: S, text: string, endpoint: string): z.output<S> {
  let json: unknown;
  try {
    json = text.trim().length === 0 ? {} : JSON.parse(text);
  } catch (error) {
    throw new MlflowError('INVALID_RESPONSE', `${endpoint}: the answer is not JSON`, null, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new MlflowError(
      'INVALID_RESPONSE',
      `${endpoint}: unexpected answer: ${parsed.error.message}`,
      null,
    );
  }
  return parsed.data;
}

function errorFromResponse(method: string, url: string, status: number, text: string): MlflowError {
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // not an MLflow error body
  }
  const parsed = errorResponse.safeParse(json);
  if (parsed.success) return new MlflowError(parsed.data.error_code, parsed.data.message, status);
  const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new MlflowError(`HTTP_${status}`, `${method} ${url} answered ${status}: ${snippet}`, status);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
