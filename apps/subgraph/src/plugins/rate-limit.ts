import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import type { SubgraphContext } from '../context';
import { rateLimited } from '../errors/codes';
import { rateLimitKey, type CallerRateLimiter } from '../rate-limit/caller-rate-limiter';

/** `_service { sdl }` (composition, health checks of routers) and introspection only. */
function onlyMetaFields(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every(
    (selection) =>
      selection.kind === 'Field' &&
      (selection.name.value === '_service' || selection.name.value.startsWith('__')),
  );
}

/**
 * Counts each resolved operation against its caller's bucket; over the limit, the operation fails with
 * RATE_LIMITED, HTTP 200 (see errors/codes.ts) and a Retry-After header. `_service` (composition) and
 * introspection are not counted.
 */
export function rateLimitPlugin(limiter: CallerRateLimiter): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (operation !== undefined && onlyMetaFields(operation)) return;
          const key = rateLimitKey(contextValue.caller, contextValue.clientIp);
          if (key === null) return;
          const decision = await limiter.consume(key);
          if (!decision.allowed) {
            contextValue.log.warn({ retryAfterSeconds: decision.retryAfterSeconds }, 'rate limited');
            throw rateLimited(decision.retryAfterSeconds);
          }
        },
      };
    },
  };
}
