import type { ApolloServerPlugin } from '@apollo/server';
import type { SubgraphContext } from '../context';
import type { SubgraphMetrics } from '../ops/metrics';

const MAX_LABEL_LENGTH = 64;

/** Operation names come from clients: keep the label set small and safe. */
export function operationLabel(name: string | null | undefined): string {
  if (name === null || name === undefined || name === '') return 'anonymous';
  return name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, MAX_LABEL_LENGTH);
}

/** Latency per operation and errors by code. */
export function metricsPlugin(metrics: SubgraphMetrics): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      const stopTimer = metrics.operationDuration.startTimer();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions.code;
            metrics.errors.inc({ code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
          }
        },
        async willSendResponse({ operationName, operation }) {
          stopTimer({ operation: operationLabel(operationName), type: operation?.operation ?? 'unknown' });
        },
      };
    },
  };
}
