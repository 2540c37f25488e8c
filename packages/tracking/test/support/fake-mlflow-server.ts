import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON for JSON requests, else undefined (see `raw`). */
  body: unknown;
  raw: Buffer;
}

export interface CannedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface FakeRun {
  info: {
    run_id: string;
    run_uuid: string;
    run_name: string;
    experiment_id: string;
    user_id: string;
    status: string;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: string;
  };
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
  metrics: { key: string; value: number; timestamp: number; step: number }[];
}

const API = '/api/2.0/mlflow';

/**
 * An HTTP server on a loopback port that answers a subset of the MLflow 2.x REST API the way an MLflow
 * tracking server does (ids, RESOURCE_DOES_NOT_EXIST / RESOURCE_ALREADY_EXISTS / INVALID_PARAMETER_VALUE
 * errors, a paged metric history) and records every request. `failNext` queues canned answers (a 503,
 * a 429) that are served before the normal handling of a method and path.
 */
export class FakeMlflowServer {
  readonly requests: RecordedRequest[] = [];
  readonly experiments = new Map<string, { experiment_id: string; name: string; lifecycle_stage: string }>();
  readonly runs = new Map<string, FakeRun>();
  readonly artifacts = new Map<string, Buffer>();
  readonly registeredModels = new Map<string, { versions: number; aliases: Record<string, string> }>();
  /** Points per page of metrics/get-history. */
  historyPageSize = 2;
  /** The artifact root of new runs; `{experiment}` and `{run}` are replaced. */
  artifactRoot = 'mlflow-artifacts:/{experiment}/{run}/artifacts';
  private readonly canned = new Map<string, CannedResponse[]>();
  private server: Server | null = null;
  private nextExperimentId = 1;

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((e) => (e ? reject(e) : resolve())));
  }

  /** Serves these answers, in order, to the next requests of `method path` (path without the query). */
  failNext(method: string, path: string, ...responses: CannedResponse[]): void {
    const key = `${method} ${path}`;
    this.canned.set(key, [...(this.canned.get(key) ?? []), ...responses]);
  }

  reset(): void {
    this.requests.length = 0;
    this.canned.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake');
    const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: isJson && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined,
      raw,
    };
    this.requests.push(recorded);
    const queued = this.canned.get(`${recorded.method} ${recorded.path}`);
    const answer = queued && queued.length > 0 ? queued.shift()! : this.route(recorded);
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  }

  private route(r: RecordedRequest): CannedResponse {
    const body = (r.body ?? {}) as Record<string, unknown>;
    const route = `${r.method} ${r.path}`;
    if (r.method === 'PUT' && r.path.startsWith('/api/2.0/mlflow-artifacts/artifacts/')) {
      this.artifacts.set(
        decodeURIComponent(r.path.slice('/api/2.0/mlflow-artifacts/artifacts/'.length)),
        r.raw,
      );
      return ok({});
    }
    switch (route) {
      case `GET ${API}/experiments/get-by-name`: {
        const found = this.experiments.get(r.query.experiment_name ?? '');
        return found
          ? ok({ experiment: { ...found, artifact_location: `mlflow-artifacts:/${found.experiment_id}` } })
          : error(
              404,
              'RESOURCE_DOES_NOT_EXIST',
              `Could not find experiment with name '${r.query.experiment_name}'`,
            );
      }
      case `POST ${API}/experiments/create`: {
        const name = String(body.name);
        if (this.experiments.has(name)) {
          return error(400, 'RESOURCE_ALREADY_EXISTS', `Experiment '${name}' already exists.`);
        }
        const experiment = {
          experiment_id: String(this.nextExperimentId++),
          name,
          lifecycle_stage: 'active',
        };
        this.experiments.set(name, experiment);
        return ok({ experiment_id: experiment.experiment_id });
      }
      case `POST ${API}/runs/create`: {
        const runId = randomUUID().replace(/-/g, '');
        const experimentId = String(body.experiment_id);
        const run: FakeRun = {
          info: {
            run_id: runId,
            run_uuid: runId,
            run_name: String(body.run_name ?? 'generated-name'),
            experiment_id: experimentId,
            user_id: 'tester',
            status: 'RUNNING',
            start_time: Number(body.start_time),
            artifact_uri: this.artifactRoot.replace('{experiment}', experimentId).replace('{run}', runId),
            lifecycle_stage: 'active',
          },
          params: [],
          tags: (body.tags as FakeRun['tags'] | undefined) ?? [],
          metrics: [],
        };
        this.runs.set(runId, run);
        return ok({ run: this.runJson(run) });
      }
      case `POST ${API}/runs/update`: {
        const run = this.runs.get(String(body.run_id));
        if (!run) return error(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${body.run_id}' not found`);
        run.info.status = String(body.status);
        if (body.end_time !== undefined) run.info.end_time = Number(body.end_time);
        return ok({ run_info: run.info });
      }
      case `POST ${API}/runs/log-batch`: {
        const run = this.runs.get(String(body.run_id));
        if (!run) return error(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${body.run_id}' not found`);
        for (const p of (body.params as FakeRun['params'] | undefined) ?? []) {
          const existing = run.params.find((q) => q.key === p.key);
          if (existing && existing.value !== p.value) {
            return error(
              400,
              'INVALID_PARAMETER_VALUE',
              `Changing param values is not allowed. Param with key='${p.key}'`,
            );
          }
          if (!existing) run.params.push(p);
        }
        for (const t of (body.tags as FakeRun['tags'] | undefined) ?? []) {
          run.tags = [...run.tags.filter((q) => q.key !== t.key), t];
        }
        run.metrics.push(...((body.metrics as FakeRun['metrics'] | undefined) ?? []));
        return ok({});
      }
      case `GET ${API}/runs/get`: {
        const run = this.runs.get(r.query.run_id ?? '');
        if (!run) return error(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${r.query.run_id}' not found`);
        return ok({ run: this.runJson(run) });
      }
      case `POST ${API}/runs/search`: {
        const ids = body.experiment_ids as string[];
        const runs = [...this.runs.values()]
          .filter((run) => ids.includes(run.info.experiment_id))
          .sort((a, b) => b.info.start_time - a.info.start_time);
        return ok(runs.length > 0 ? { runs: runs.map((run) => this.runJson(run)) } : {});
      }
      case `GET ${API}/metrics/get-history`: {
        const run = this.runs.get(r.query.run_id ?? '');
        if (!run) return error(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${r.query.run_id}' not found`);
        const all = run.metrics.filter((m) => m.key === r.query.metric_key);
        const start = Number(r.query.page_token ?? 0);
        const page = all.slice(start, start + this.historyPageSize);
        const next =
          start + this.historyPageSize < all.length ? String(start + this.historyPageSize) : undefined;
        return ok({ metrics: page, ...(next ? { next_page_token: next } : {}) });
      }
      case `POST ${API}/registered-models/create`: {
        const name = String(body.name);
        if (this.registeredModels.has(name)) {
          return error(400, 'RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
        }
        this.registeredModels.set(name, { versions: 0, aliases: {} });
        return ok({ registered_model: { name, creation_timestamp: 1, last_updated_timestamp: 1 } });
      }
      case `POST ${API}/model-versions/create`: {
        const model = this.registeredModels.get(String(body.name));
        if (!model)
          return error(404, 'RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${body.name} not found`);
        model.versions += 1;
        return ok({
          model_version: {
            name: body.name,
            version: String(model.versions),
            creation_timestamp: 2,
            current_stage: 'None',
            source: body.source,
            run_id: body.run_id,
            status: 'READY',
          },
        });
      }
      case `POST ${API}/registered-models/alias`: {
        const model = this.registeredModels.get(String(body.name));
        if (!model)
          return error(404, 'RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${body.name} not found`);
        model.aliases[String(body.alias)] = String(body.version);
        return ok({});
      }
      default:
        return error(404, 'ENDPOINT_NOT_FOUND', `No endpoint ${route}`);
    }
  }

  /** A run as runs/get answers it: only the latest value of each metric, empty lists omitted. */
  private runJson(run: FakeRun): unknown {
    const latest = new Map<string, FakeRun['metrics'][number]>();
    for (const m of run.metrics) {
      const current = latest.get(m.key);
      if (
        !current ||
        m.step > current.step ||
        (m.step === current.step && m.timestamp >= current.timestamp)
      ) {
        latest.set(m.key, m);
      }
    }
    const data: Record<string, unknown> = {};
    if (latest.size > 0) data.metrics = [...latest.values()];
    if (run.params.length > 0) data.params = run.params;
    if (run.tags.length > 0) data.tags = run.tags;
    return { info: run.info, data };
  }
}

function ok(body: unknown): CannedResponse {
  return { status: 200, body };
}

function error(status: number, code: string, message: string): CannedResponse {
  return { status, body: { error_code: code, message } };
}
