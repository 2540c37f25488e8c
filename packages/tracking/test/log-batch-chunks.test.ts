import { LOG_BATCH_LIMITS, logBatchChunks, type MlflowMetric, type MlflowParam } from '../src';

const params = (n: number, valueLength = 1): MlflowParam[] =>
  Array.from({ length: n }, (_, i) => ({ key: `p${i}`, value: 'v'.repeat(valueLength) }));
const metrics = (n: number): MlflowMetric[] =>
  Array.from({ length: n }, (_, i) => ({ key: `m${i}`, value: i, timestamp: 1, step: 0 }));

describe('logBatchChunks', () => {
  it('sends one request for a small batch, empty lists included', () => {
    expect(logBatchChunks('r1', { params: params(1) })).toEqual([
      { run_id: 'r1', metrics: [], params: [{ key: 'p0', value: 'v' }], tags: [] },
    ]);
    expect(logBatchChunks('r1', {})).toEqual([]);
  });

  it('keeps each request within the per-kind and total limits, params first, order kept', () => {
    const chunks = logBatchChunks('r1', { params: params(150), tags: params(50), metrics: metrics(1000) });
    expect(chunks.map((c) => [c.params.length, c.tags.length, c.metrics.length])).toEqual([
      [100, 0, 0],
      [50, 50, 900],
      [0, 0, 100],
    ]);
    for (const c of chunks) {
      expect(c.params.length + c.tags.length + c.metrics.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.total);
    }
    expect(chunks.flatMap((c) => c.metrics.map((m) => m.key))).toEqual(metrics(1000).map((m) => m.key));
  });

  it('starts a new request before the body passes about 1 MB', () => {
    const chunks = logBatchChunks('r1', { params: params(100, 6000), tags: params(100, 5000) });
    for (const c of chunks) expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThan(1_000_000);
    expect(chunks.reduce((n, c) => n + c.params.length + c.tags.length, 0)).toBe(200);
    expect(chunks.length).toBeGreaterThan(1);
  });
});
