import type { EvaluationResult } from '@recsys/training';

/** Metric columns per protocol, in the order published tables use. */
function columnsFor(result: EvaluationResult): string[] {
  const k = result.k;
  switch (result.protocol) {
    case 'cv5':
      return ['rmse', 'mae'];
    case 'ctr':
      return ['auc', 'logloss'];
    case 'loo-sampled':
      return [`hit@${k}`, `ndcg@${k}`, `mrr@${k}`];
    default:
      return [
        `ndcg@${k}`,
        `precision@${k}`,
        `recall@${k}`,
        `map@${k}`,
        `hit@${k}`,
        `coverage@${k}`,
        `novelty@${k}`,
      ];
  }
}

/** A readable table of evaluation results (one row per model). */
export function formatEvaluationTable(results: readonly EvaluationResult[]): string {
  if (results.length === 0) return 'no model was evaluated';
  const first = results[0];
  const metricCols = columnsFor(first);
  const header = ['model', ...metricCols, 'fit s', 'score s', 'RSS MB'];
  const rows = results.map((r) => [
    r.model,
    ...metricCols.map((c) => (r.metrics[c] === undefined ? '-' : r.metrics[c].toFixed(4))),
    r.fitSeconds.toFixed(2),
    r.scoreSeconds.toFixed(2),
    r.peakRssMb.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `${first.dataset} · ${first.protocol} · k=${first.k} · seed=${first.seed} · ${first.folds} fold(s)`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
