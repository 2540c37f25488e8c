import type { ParamValue } from '@recsys/tracking';

/**
 * A metric key as trackers accept it: MLflow allows letters, digits, `_ - . / ` and space only, so
 * `ndcg@10` is logged as `ndcg_at_10`.
 */
export function trackingMetricKey(key: string): string {
  return key.replace(/@/g, '_at_').replace(/[^\w.\- /]/g, '_');
}

/** Metrics under tracker-safe keys, non-finite values left out. */
export function trackingMetrics(metrics: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(metrics)) {
    if (Number.isFinite(value)) out[trackingMetricKey(key)] = value;
  }
  return out;
}

/** Parameters as trackers store them: scalars as they are, anything else as JSON; undefined left out. */
export function trackingParams(params: object): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    out[key] =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : JSON.stringify(value);
  }
  return out;
}

/** Protocol options as parameters, under `protocol.` so they never collide with a model's own (`seed`). */
export function protocolParams(protocol: string, options: object): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = { protocol };
  for (const [key, value] of Object.entries(trackingParams(options))) out[`protocol.${key}`] = value;
  return out;
}
