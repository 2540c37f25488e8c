import type { InteractionInput } from '@recsys/serving';
import { badUserInput } from '../errors/codes';
import type { RecordInteractionInput } from '../schema/inputs';
import { validContext, withoutUndefined } from './context';
import { optionalId, validId } from './ids';
import { optionalIntInRange } from './numbers';

/** How far in the future an occurredAt may lie (clock skew between client and server). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_DWELL_MS = 24 * 3_600_000;

/** The engine's interaction from the GraphQL input, every field checked; errors name `input.<field>`. */
export function validInteraction(input: RecordInteractionInput, now: Date = new Date()): InteractionInput {
  if (input.type === 'RATING' && (input.value === null || input.value === undefined)) {
    throw badUserInput('input.value', 'is required for a RATING');
  }
  if (input.occurredAt != null && input.occurredAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw badUserInput('input.occurredAt', 'must not be in the future');
  }
  return withoutUndefined<InteractionInput>({
    userId: validId(input.userId, 'input.userId'),
    serviceId: validId(input.serviceId, 'input.serviceId'),
    type: input.type,
    value: input.value ?? undefined,
    dwellMs: optionalIntInRange(input.dwellMs, 'input.dwellMs', 0, MAX_DWELL_MS),
    sessionId: optionalId(input.sessionId, 'input.sessionId'),
    requestId: optionalId(input.requestId, 'input.requestId'),
    context: validContext(input.context, 'input.context'),
    occurredAt: input.occurredAt ?? undefined,
    idempotencyKey: validId(input.idempotencyKey, 'input.idempotencyKey'),
  });
}
