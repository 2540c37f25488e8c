import autocannon from 'autocannon';
import type { LoadRequest, LoadResult } from './messages';

/*
 * The load generator, in a process of its own so that it does not share an event loop with the servers.
 * It takes one LoadRequest over IPC, runs autocannon against loopback and answers with a LoadResult.
 */

async function run(request: LoadRequest): Promise<LoadResult> {
  let next = 0;
  let graphqlErrors = 0;
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.durationSeconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const userId = request.users[next++ % request.users.length];
          return {
            ...req,
            headers: { ...req.headers, 'x-user-id': userId },
            body: JSON.stringify({ query: request.query, variables: { userId } }),
          };
        },
        onResponse: (status, body) => {
          if (status >= 200 && status < 300 && body.includes('"errors"')) graphqlErrors += 1;
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    graphqlErrors,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

process.once('message', (message: LoadRequest) => {
  run(message).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
