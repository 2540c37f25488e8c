import type { Caller } from './auth/caller';
import type { Logger } from './ops/logger';

/** What every resolver and plugin of one GraphQL request sees. */
export interface SubgraphContext {
  caller: Caller;
  /** The x-request-id of the HTTP request (given or generated). */
  requestId: string;
  /** A logger bound to the request id. */
  log: Logger;
  /** The socket's address, the rate-limit key of anonymous callers. */
  clientIp: string;
}
