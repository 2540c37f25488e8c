import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { ServingEngine } from '@recsys/serving';
import { createSubgraphServer, type SubgraphServer } from '../src';
import { DATASET, createEngineFixture, type EngineFixture } from '../test/support/engine-fixture';
import { composeFromServices } from '../test/support/supergraph';
import {
  startCatalogSubgraph,
  startUsersSubgraph,
  type StartedSubgraph,
} from '../test/support/test-subgraphs';
import { startBareSubgraph } from './bare-subgraph';
import type { GatewayMessage, GatewayReply, LoadRequest, LoadResult } from './messages';

/*
 * `npm run bench -w apps/subgraph`: load on Query.recommendations over MovieLens 100K with an ALS model,
 * printed as ONE JSON object on stdout (progress on stderr). Targets: this subgraph alone, the same
 * through @apollo/gateway (in its own process), and a bare Apollo subgraph answering a constant list of
 * the same size; cached (one user repeated) and uncached (the 943 users in turn, prediction cache off:
 * every list is computed; the feature cache and the user generations work as deployed); at 10 and 50
 * connections. "cold" (10 connections, subgraph alone) runs without Redis at all: every request also
 * reads the user's history from PostgreSQL. autocannon runs in its own process; everything is on
 * loopback. Besides req/s and latency, each run reports the CPU time the bench process (where the
 * subgraphs and the bare baseline run) spent per request: less sensitive than req/s to other work on
 * the machine.
 */

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 2);
const CONNECTIONS = [10, 50];
const LIMIT = 10;
const ML100K_USERS = Array.from({ length: 943 }, (_, i) => String(i + 1));
const QUERY = `query Recommendations($userId: ID!) {
  recommendations(userId: $userId, limit: ${LIMIT}) {
    requestId modelVersion fromCache coldStart
    items { service { id } score rank source reasons }
  }
}`;

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function load(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'load-client.js'), {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (result: LoadResult) => resolve(result));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load client exited with ${code}`));
    });
    child.send(request);
  });
}

interface Gateway {
  url: string;
  stop(): Promise<void>;
}

/** A gateway process over the given subgraphs. */
async function startGatewayProcess(subgraphs: { name: string; url: string }[]): Promise<Gateway> {
  const composition = await composeFromServices(subgraphs);
  if (composition.errors !== undefined) throw new Error(composition.errors.map((e) => e.message).join('\n'));
  const child: ChildProcess = fork(path.join(__dirname, 'gateway-process.js'), {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ask = (message: GatewayMessage) =>
    new Promise<GatewayReply>((resolve) => {
      child.once('message', (reply: GatewayReply) => resolve(reply));
      child.send(message);
    });
  const started = await ask({ kind: 'start', supergraphSdl: composition.supergraphSdl });
  if (started.kind !== 'started') throw new Error('gateway did not start');
  return {
    url: started.url,
    stop: async () => {
      await ask({ kind: 'stop' });
    },
  };
}

function startSubgraph(
  engine: ServingEngine,
  fixture: EngineFixture,
): Promise<{ server: SubgraphServer; url: string }> {
  const server = createSubgraphServer(
    { engine, redis: fixture.redis },
    {
      // The bench measures serving, not the limiter's refusals: a limit no run reaches (still one Redis call each).
      rateLimit: { points: 10_000_000, windowSeconds: 60, keyPrefix: `${fixture.keyPrefix}rl` },
      defaultMetrics: false,
    },
  );
  return server.start().then(({ url }) => ({ server, url }));
}

interface Run {
  target: 'subgraph' | 'gateway' | 'bare-subgraph';
  cache: 'cached' | 'uncached' | 'cold' | 'constant';
  connections: number;
  url: string;
  users: string[];
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0];
  log('importing MovieLens 100K into a throw-away database and training ALS...');
  const fixture = await createEngineFixture({ factors: 64, iterations: 8 });
  const cachedEngine = await fixture.createEngine();
  const uncachedEngine = await fixture.createEngine({ cache: { predictionCache: false } });
  // No Redis: no prediction cache, no feature cache (their generations live in Redis).
  const coldEngine = await fixture.createEngine({ redis: null });
  const cached = await startSubgraph(cachedEngine, fixture);
  const uncached = await startSubgraph(uncachedEngine, fixture);
  const cold = await startSubgraph(coldEngine, fixture);
  const bare = await startBareSubgraph(LIMIT);
  const users: StartedSubgraph = await startUsersSubgraph();
  const catalog: StartedSubgraph = await startCatalogSubgraph(fixture.db.pool, DATASET);
  const others = [
    { name: 'users', url: users.url },
    { name: 'catalog', url: catalog.url },
  ];
  const cachedGateway = await startGatewayProcess([...others, { name: 'recommendations', url: cached.url }]);
  const uncachedGateway = await startGatewayProcess([
    ...others,
    { name: 'recommendations', url: uncached.url },
  ]);

  const runs: Run[] = [];
  for (const connections of CONNECTIONS) {
    runs.push(
      { target: 'bare-subgraph', cache: 'constant', connections, url: bare.url, users: ['1'] },
      { target: 'subgraph', cache: 'cached', connections, url: cached.url, users: ['1'] },
      { target: 'subgraph', cache: 'uncached', connections, url: uncached.url, users: ML100K_USERS },
      { target: 'gateway', cache: 'cached', connections, url: cachedGateway.url, users: ['1'] },
      { target: 'gateway', cache: 'uncached', connections, url: uncachedGateway.url, users: ML100K_USERS },
    );
    if (connections === 10)
      runs.push({ target: 'subgraph', cache: 'cold', connections, url: cold.url, users: ML100K_USERS });
  }

  const servers = new Map<string, SubgraphServer>([
    [cached.url, cached.server],
    [cachedGateway.url, cached.server],
    [uncached.url, uncached.server],
    [uncachedGateway.url, uncached.server],
    [cold.url, cold.server],
  ]);
  const results: Record<string, RunResult> = {};
  try {
    for (const run of runs) {
      const name = `${run.target}/${run.cache}/c${run.connections}`;
      log(`${name}: warm-up ${WARMUP_S} s, then ${DURATION_S} s`);
      await load({
        url: run.url,
        connections: run.connections,
        durationSeconds: WARMUP_S,
        query: QUERY,
        users: run.users,
      });
      const server = servers.get(run.url);
      const before = server ? await listCounts(server) : null;
      const cpuBefore = process.cpuUsage();
      const result = await load({
        url: run.url,
        connections: run.connections,
        durationSeconds: DURATION_S,
        query: QUERY,
        users: run.users,
      });
      const cpu = process.cpuUsage(cpuBefore);
      const after = server ? await listCounts(server) : null;
      const served = after && before ? after.total - before.total : 0;
      results[name] = {
        ...result,
        cacheHitRate: after && before && served > 0 ? round((after.hits - before.hits) / served) : null,
        serverCpuUsPerRequest:
          result.requests > 0 ? Math.round((cpu.user + cpu.system) / result.requests) : null,
      };
      log(`${name}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.latencyMs.p99} ms`);
    }
  } finally {
    await Promise.all([cachedGateway.stop(), uncachedGateway.stop()]);
    await Promise.all([
      cached.server.stop(),
      uncached.server.stop(),
      cold.server.stop(),
      bare.stop(),
      users.stop(),
      catalog.stop(),
    ]);
    await fixture.close();
  }

  process.stdout.write(
    `${JSON.stringify({
      bench: 'subgraph-recommendations',
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        // Other work on the machine skews every figure: the 1-minute load average before and after.
        loadAverage: { before: round(loadBefore), after: round(os.loadavg()[0]) },
      },
      dataset: DATASET,
      model: 'als (64 factors, 8 sweeps)',
      limit: LIMIT,
      durationSeconds: DURATION_S,
      notes:
        'autocannon, the gateway and the subgraphs in separate processes on the same cores, loopback. ' +
        'cached: user 1 repeated; uncached: users 1-943 in turn with the prediction cache off (feature ' +
        'cache on); cold: the same without Redis (history read from PostgreSQL per request). ' +
        'gateway: @apollo/gateway (Node) over users, catalog and this subgraph; the query touches this subgraph only. ' +
        'serverCpuUsPerRequest: CPU of the process running the subgraphs and the bare baseline (not the ' +
        'gateway, autocannon, Redis or PostgreSQL) per request. ratios: req/s over the bare subgraph at the same connections.',
      ratios: ratiosToBare(results),
      results,
    })}\n`,
  );
}

type RunResult = LoadResult & { cacheHitRate: number | null; serverCpuUsPerRequest: number | null };

/** Throughput of each subgraph run over the bare subgraph's at the same number of connections. */
function ratiosToBare(results: Record<string, RunResult>): Record<string, number> {
  const ratios: Record<string, number> = {};
  for (const [name, result] of Object.entries(results)) {
    const [target, , connections] = name.split('/');
    const bare = results[`bare-subgraph/constant/${connections}`];
    if (target === 'bare-subgraph' || bare === undefined || bare.requestsPerSecond === 0) continue;
    ratios[name] = round(result.requestsPerSecond / bare.requestsPerSecond);
  }
  return ratios;
}

/** Lists served so far and how many came from the cache, from the server's own metrics. */
async function listCounts(server: SubgraphServer): Promise<{ total: number; hits: number }> {
  const metric = await server.metrics.registry.getSingleMetric('recsys_recommendation_lists_total')?.get();
  let total = 0;
  let hits = 0;
  for (const value of metric?.values ?? []) {
    total += value.value;
    if (value.labels.from_cache === 'true') hits += value.value;
  }
  return { total, hits };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
