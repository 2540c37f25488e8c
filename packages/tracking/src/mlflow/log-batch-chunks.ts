import type { LogBatchRequest, MlflowMetric, MlflowParam, MlflowTag } from './mlflow-types';

/** MLflow's limits on one `runs/log-batch` request (mlflow/utils/validation.py). */
export const LOG_BATCH_LIMITS = {
  metrics: 1000,
  params: 100,
  tags: 100,
  /** Metrics, params and tags together. */
  total: 1000,
  /** The request body is at most 1 MB; this leaves room for the envelope. */
  bodyBytes: 900_000,
} as const;

export interface BatchItems {
  metrics?: MlflowMetric[];
  params?: MlflowParam[];
  tags?: MlflowTag[];
}

type Kind = 'params' | 'tags' | 'metrics';
type Entry =
  { kind: 'metrics'; item: MlflowMetric } | { kind: 'params' | 'tags'; item: MlflowParam | MlflowTag };

/**
 * Splits a batch into requests within MLflow's limits, in order: params first (so a conflict fails before
 * any metric is written), then tags, then metrics; each kind keeps its order across requests.
 */
export function logBatchChunks(runId: string, items: BatchItems): LogBatchRequest[] {
  const entries: Entry[] = [
    ...(items.params ?? []).map((item): Entry => ({ kind: 'params', item })),
    ...(items.tags ?? []).map((item): Entry => ({ kind: 'tags', item })),
    ...(items.metrics ?? []).map((item): Entry => ({ kind: 'metrics', item })),
  ];
  const chunks: LogBatchRequest[] = [];
  let current: LogBatchRequest | null = null;
  let bytes = 0;
  for (const entry of entries) {
    // +1 for the comma between items.
    const size = Buffer.byteLength(JSON.stringify(entry.item)) + 1;
    if (current === null || !fits(current, entry.kind, bytes + size)) {
      current = { run_id: runId, metrics: [], params: [], tags: [] };
      chunks.push(current);
      bytes = 0;
    }
    if (entry.kind === 'metrics') current.metrics.push(entry.item);
    else current[entry.kind].push(entry.item);
    bytes += size;
  }
  return chunks;
}

function fits(chunk: LogBatchRequest, kind: Kind, bytesAfter: number): boolean {
  const total = chunk.metrics.length + chunk.params.length + chunk.tags.length;
  return (
    chunk[kind].length < LOG_BATCH_LIMITS[kind] &&
    total < LOG_BATCH_LIMITS.total &&
    (total === 0 || bytesAfter <= LOG_BATCH_LIMITS.bodyBytes)
  );
}
