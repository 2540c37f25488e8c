import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from './logger';

export const REQUEST_ID_HEADER = 'x-request-id';
/** What an incoming request id may look like; anything else is replaced by a fresh UUID. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What one HTTP request carries through the app: its id and a logger bound to it. */
export interface RequestScope {
  requestId: string;
  log: Logger;
  startedAt: bigint;
}

const scopes = new WeakMap<Request, RequestScope>();

export function requestScope(req: Request): RequestScope {
  const scope = scopes.get(req);
  if (scope === undefined) throw new Error('requestScope() used before the request-id middleware');
  return scope;
}

/**
 * Takes the caller's `x-request-id` (when it is a sane token) or makes one, echoes it in the response,
 * binds a child logger to it, and logs each finished request (health probes and scrapes at debug).
 */
export function requestIdMiddleware(logger: Logger, quietPaths: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
    const log = logger.child({ requestId });
    const scope: RequestScope = { requestId, log, startedAt: process.hrtime.bigint() };
    scopes.set(req, scope);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    // originalUrl: req.path is relative to the mount point by the time the response finishes.
    const path = req.originalUrl.split('?')[0];
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - scope.startedAt) / 1e6;
      const entry = { method: req.method, path, status: res.statusCode, durationMs };
      if (quietPaths.includes(path)) log.debug(entry, 'request finished');
      else log.info(entry, 'request finished');
    });
    next();
  };
}
