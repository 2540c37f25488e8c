import { forbidden } from '../errors/codes';
import type { Caller } from './caller';

/** Whether the caller may read or act for `userId`: the user themself, an ADMIN, or a trusted service. */
export function mayActForUser(caller: Caller, userId: string): boolean {
  switch (caller.kind) {
    case 'service':
      return true;
    case 'user':
      return caller.role === 'ADMIN' || caller.userId === userId;
    case 'anonymous':
      return false;
  }
}

/** Throws FORBIDDEN unless the caller may act for `userId`; `what` says what was refused. */
export function assertMayActForUser(caller: Caller, userId: string, what: string): void {
  if (!mayActForUser(caller, userId)) {
    throw forbidden(
      caller.kind === 'anonymous'
        ? `${what} needs a signed-in caller`
        : `${what} of another user is allowed to that user, an ADMIN or a trusted service only`,
    );
  }
}

/** The ADMIN's user id, or FORBIDDEN for anyone else (users of other roles, services, anonymous callers). */
export function assertAdmin(caller: Caller, what: string): string {
  if (caller.kind === 'user' && caller.role === 'ADMIN') return caller.userId;
  throw forbidden(
    caller.kind === 'anonymous' ? `${what} needs a signed-in ADMIN` : `${what} is allowed to an ADMIN only`,
  );
}
