import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { unauthenticated } from '../errors/codes';
import { idProblem } from '../validation/ids';

/**
 * The identity headers the gateway forwards. The gateway sets them from the caller's session and strips any
 * copies a client sent; the subgraph must not be reachable except through the gateway or by internal services.
 */
export const IdentityHeader = {
  /** The signed-in user's id. */
  USER_ID: 'x-user-id',
  /** USER (default), PROVIDER or ADMIN; only meaningful with x-user-id. */
  USER_ROLE: 'x-user-role',
  /** The shared secret of trusted internal services (SERVICE_TOKEN), compared in constant time. */
  SERVICE_TOKEN: 'x-service-token',
} as const;

export const USER_ROLES = ['USER', 'PROVIDER', 'ADMIN'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Who is calling, as established from the identity headers. */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; role: UserRole }
  /** A trusted internal service, acting for a user when it also sent x-user-id. */
  | { kind: 'service'; actingFor: string | null };

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) throw unauthenticated(`${name} must be sent once`);
  return value === undefined || value === '' ? undefined : value;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time equality of two secrets of any length (their SHA-256 digests are compared). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function isUserRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
}

/**
 * The caller of one request. Throws UNAUTHENTICATED for malformed identity headers and for a service token
 * that does not match `trustedServiceToken` (or any token when none is configured).
 */
export function callerFromHeaders(
  headers: IncomingHttpHeaders,
  trustedServiceToken: string | undefined,
): Caller {
  const userId = single(headers, IdentityHeader.USER_ID);
  const role = single(headers, IdentityHeader.USER_ROLE);
  const token = single(headers, IdentityHeader.SERVICE_TOKEN);

  if (userId !== undefined) {
    const problem = idProblem(userId);
    if (problem !== null) throw unauthenticated(`${IdentityHeader.USER_ID} ${problem}`);
  }
  if (token !== undefined) {
    if (trustedServiceToken === undefined || !secretsEqual(token, trustedServiceToken)) {
      throw unauthenticated(`${IdentityHeader.SERVICE_TOKEN} is not valid`);
    }
    return { kind: 'service', actingFor: userId ?? null };
  }
  if (role !== undefined && !isUserRole(role)) {
    throw unauthenticated(`${IdentityHeader.USER_ROLE} must be one of ${USER_ROLES.join(', ')}`);
  }
  if (userId === undefined) {
    if (role !== undefined)
      throw unauthenticated(`${IdentityHeader.USER_ROLE} needs ${IdentityHeader.USER_ID}`);
    return { kind: 'anonymous' };
  }
  return { kind: 'user', userId, role: role ?? 'USER' };
}

/** A short description for logs: never the token. */
export function describeCaller(caller: Caller): string {
  switch (caller.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'user':
      return `user:${caller.userId}(${caller.role})`;
    case 'service':
      return caller.actingFor === null ? 'service' : `service-for:${caller.actingFor}`;
    default:
      return unreachable(caller);
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled caller ${JSON.stringify(value)}`);
}
