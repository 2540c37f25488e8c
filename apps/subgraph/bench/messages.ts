/** What the bench's parent process and its child processes tell each other over IPC. */

export interface LoadRequest {
  url: string;
  connections: number;
  durationSeconds: number;
  /** The GraphQL document; its only variable is $userId. */
  query: string;
  /** Users the requests cycle through (one user: the same request repeated). */
  users: string[];
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  /** 2xx answers whose body carried GraphQL errors. */
  graphqlErrors: number;
  errors: number;
  timeouts: number;
}

export type GatewayMessage = { kind: 'start'; supergraphSdl: string } | { kind: 'stop' };
export type GatewayReply = { kind: 'started'; url: string } | { kind: 'stopped' };
