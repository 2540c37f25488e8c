import { INTERACTION_TYPES } from '@recsys/db';
import { ServingError, ServingErrorCode, type InteractionInput } from '../contract';

/** Longest user id, idempotency key, session id or request id accepted. */
export const MAX_ID_LENGTH = 256;

function invalid(message: string): ServingError {
  return new ServingError(ServingErrorCode.INVALID_INPUT, message);
}

function checkId(name: string, value: string | undefined, required: boolean): void {
  if (value === undefined) {
    if (required) throw invalid(`${name} is required`);
    return;
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH)
    throw invalid(`${name} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
}

/**
 * Checks an interaction before it touches the database (the service's existence is checked against the
 * catalog separately): ids, type, a RATING's value within `ratingRange`, a finite value otherwise,
 * dwellMs an integer >= 0, a valid occurredAt. INVALID_INPUT naming the field otherwise.
 */
export function validateInteraction(input: InteractionInput, ratingRange: [number, number]): void {
  checkId('userId', input.userId, true);
  checkId('serviceId', input.serviceId, true);
  checkId('idempotencyKey', input.idempotencyKey, true);
  checkId('sessionId', input.sessionId, false);
  checkId('requestId', input.requestId, false);
  if (!(INTERACTION_TYPES as readonly string[]).includes(input.type))
    throw invalid(`type must be one of ${INTERACTION_TYPES.join(', ')}, got "${String(input.type)}"`);
  const [lo, hi] = ratingRange;
  if (input.type === 'RATING') {
    if (input.value === undefined || !(input.value >= lo && input.value <= hi))
      throw invalid(`a RATING needs a value in [${lo}, ${hi}], got ${String(input.value)}`);
  } else if (input.value !== undefined && !Number.isFinite(input.value)) {
    throw invalid(`value must be a finite number, got ${String(input.value)}`);
  }
  if (
    input.dwellMs !== undefined &&
    !(Number.isInteger(input.dwellMs) && input.dwellMs >= 0 && input.dwellMs <= 2_147_483_647)
  )
    throw invalid(`dwellMs must be an integer >= 0, got ${String(input.dwellMs)}`);
  if (
    input.occurredAt !== undefined &&
    !(input.occurredAt instanceof Date && Number.isFinite(input.occurredAt.getTime()))
  )
    throw invalid('occurredAt must be a valid date');
}
