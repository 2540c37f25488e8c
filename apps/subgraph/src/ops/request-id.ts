import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from './logger';

export const REQUEST_ID_HEADER = 'x-request-id';
/** What an incoming request id may look like; anything else is replaced by a fresh UUID. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What one HTTP request carries through the app: its id and a logger bound to it. */
export interface RequestScope {
  requestId: string;
  /** A child logger bound to the request id, made on first use (most requests never log). */
  readonly log: Logger;
  startedAt: bigint;
}

const scopes = new WeakMap<IncomingMessage, RequestScope>();

export function requestScope(req: IncomingMessage): RequestScope {
  const scope = scopes.get(req);
  if (scope === undefined) throw new Error('requestScope() used before the request scope was started');
  return scope;
}

/**
 * Starts the scope of one HTTP request: takes the caller's `x-request-id` (when it is a sane token) or
 * makes one, echoes it in the response, and logs the finished request (`quiet`: at debug, for health
 * probes and scrapes). The finish listener is only attached when that level is enabled.
 */
export function startRequestScope(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  quiet: boolean,
): RequestScope {
  const given = req.headers[REQUEST_ID_HEADER];
  const requestId = typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
  let log: Logger | undefined;
  const scope: RequestScope = {
    requestId,
    get log() {
      log ??= logger.child({ requestId });
      return log;
    },
    startedAt: process.hrtime.bigint(),
  };
  scopes.set(req, scope);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  if (logger.isLevelEnabled(quiet ? 'debug' : 'info')) {
    // The URL as received: Express rewrites req.url inside mounted routers by the time the response ends.
    const path = (req.url ?? '/').split('?')[0];
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - scope.startedAt) / 1e6;
      // The root logger with the id as a field: the same line as the child's, without making a child.
      const entry = { requestId, method: req.method, path, status: res.statusCode, durationMs };
      if (quiet) logger.debug(entry, 'request finished');
      else logger.info(entry, 'request finished');
    });
  }
  return scope;
}

/** The request scope as Express middleware, for the routes Express serves (/health, /ready, /metrics). */
export function requestIdMiddleware(logger: Logger, quietPaths: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    startRequestScope(logger, req, res, quietPaths.includes(req.path));
    next();
  };
}
