import type { InferenceEngine, ServingHealth } from '@recsys/serving';
import type { Request, Response } from 'express';
import { withTimeout } from './with-timeout';

export const READY_TIMEOUT_MS = 2_000;

export interface Readiness {
  ready: boolean;
  /** Why not, when not ready. */
  reasons: string[];
  health: ServingHealth | null;
}

/** Ready when the engine reaches its database and Redis and has at least one model loaded. */
export async function readiness(engine: InferenceEngine, timeoutMs = READY_TIMEOUT_MS): Promise<Readiness> {
  try {
    const health = await withTimeout(engine.health(), timeoutMs, 'engine health');
    const reasons: string[] = [];
    if (!health.database) reasons.push('database unreachable');
    if (!health.redis) reasons.push('redis unreachable');
    if (Object.keys(health.models).length === 0) reasons.push('no model loaded');
    return { ready: reasons.length === 0, reasons, health };
  } catch (error) {
    return { ready: false, reasons: [error instanceof Error ? error.message : String(error)], health: null };
  }
}

/** GET /health: the process is alive (no dependency is checked). */
export function healthHandler(_req: Request, res: Response): void {
  res.json({ status: 'ok' });
}

/** GET /ready: 200 when ready, 503 otherwise (also while shutting down), with the reasons. */
export function readyHandler(engine: InferenceEngine, isAcceptingTraffic: () => boolean) {
  return async (_req: Request, res: Response): Promise<void> => {
    if (!isAcceptingTraffic()) {
      res.status(503).json({ status: 'not_ready', reasons: ['shutting down'] });
      return;
    }
    const result = await readiness(engine);
    res.status(result.ready ? 200 : 503).json({
      status: result.ready ? 'ready' : 'not_ready',
      reasons: result.reasons,
      ...(result.health ?? {}),
    });
  };
}

/** GET /metrics in the Prometheus text format. */
export function metricsHandler(registry: { contentType: string; metrics(): Promise<string> }) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  };
}
