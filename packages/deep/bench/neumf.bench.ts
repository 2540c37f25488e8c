import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';
import { ensureBackend, NeuMfModel, NeuMfNetwork, neuMfToOnnx, OnnxScorer } from '../src';
import { holdoutNdcg, holdoutSplit } from '../test/support/holdout';
import {
  buildDatasetFromRows,
  movieLens100k as movieLens100kSource,
  type InteractionDataset,
} from '@recsys/data';
import { ImportIssues } from '@recsys/db';

/** MovieLens 100K through the real importer's parser (no database). */
async function movieLens100k(): Promise<InteractionDataset> {
  return buildDatasetFromRows('ml-100k', movieLens100kSource().rows(new ImportIssues()));
}

/** The configuration every figure uses: the default NeuMF (64-dim embeddings, MLP 128-64-32), 4 negatives. */
const ARCH = { gmfDim: 64, mlpEmbeddingDim: 64, mlpLayers: [128, 64, 32] };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Seconds per NeuMF epoch on all of ML-100K (100,000 positives × 5 rows), from the per-epoch progress. */
export async function neumfEpochBench(): Promise<BenchResult> {
  const backend = await ensureBackend();
  const epochs = Number(process.env.NEUMF_BENCH_TIMING_EPOCHS ?? 3);
  const stamps: number[] = [];
  const model = new NeuMfModel();
  const t0 = performance.now();
  await model.fit(
    await movieLens100k(),
    { ...ARCH, negatives: 4, epochs, validation: false },
    { onProgress: (p) => p.epoch !== undefined && stamps.push(performance.now()) },
  );
  const gaps = stamps.map((t, i) => (t - (i === 0 ? t0 : stamps[i - 1])) / 1000);
  return {
    backend: backend.candidate,
    batchSize: model.batchSize,
    epochSeconds: roundTo(median(gaps)),
    firstEpochSeconds: roundTo(gaps[0]),
    rowsPerEpoch: 100_000 * 5,
    peakRssMb: peakRssMb(),
  };
}

/** The PyTorch reference (bench/neumf_torch.py, Debian's python3-torch) on the same sizes, 1 and 2 threads. */
export function neumfTorchBench(): BenchResult {
  const script = path.join(__dirname, '..', '..', 'bench', 'neumf_torch.py');
  const out: BenchResult = {};
  for (const threads of [1, 2]) {
    const args = [
      script,
      '943',
      '1682',
      '100000',
      '4',
      '2048',
      '2',
      '64',
      '64',
      '128,64,32',
      String(threads),
    ];
    let text: string;
    try {
      text = execFileSync('/usr/bin/python3', args, { encoding: 'utf8', timeout: 900_000 });
    } catch (error) {
      return { skipped: `python3 failed: ${(error as Error).message.split('\n')[0]}` };
    }
    const r = JSON.parse(text) as BenchResult;
    if ('skipped' in r) return r;
    for (const [k, v] of Object.entries(r)) out[`threads${threads}.${k}`] = v;
  }
  return out;
}

/**
 * ONNX Runtime (CPU EP) on the default architecture's graph for ML-100K's 943 × 1,682: one user × every
 * item (target < 2 ms) and 1,024 users × 100 candidates each (target < 50 ms), with 1 and 2 intra-op
 * threads. Weights are the untrained initialisation: inference cost does not depend on their values.
 */
export async function onnxInferenceBench(): Promise<BenchResult> {
  await ensureBackend();
  const net = new NeuMfNetwork({ users: 943, items: 1682, ...ARCH, dropout: [0.5, 0.3, 0], seed: 1 });
  const graph = neuMfToOnnx(net.arch, net.parameters.read());
  const time = (reps: number, f: () => unknown): number => {
    for (let r = 0; r < 5; r++) f();
    const ms: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      f();
      ms.push(performance.now() - t);
    }
    return median(ms);
  };
  const users = Int32Array.from({ length: 1024 }, (_, u) => u % 943);
  const candidates = Int32Array.from({ length: 1024 * 100 }, (_, k) => (k * 7919) % 1682);
  const out: BenchResult = { targetOneUserMs: 2, target1024x100Ms: 50 };
  for (const threads of [1, 2]) {
    const scorer = await OnnxScorer.fromFile(graph, 943, 1682, { threads });
    out[`threads${threads}.oneUserAllItemsMs`] = roundTo(time(200, () => scorer.scoreAll(17)));
    out[`threads${threads}.users1024x100Ms`] = roundTo(time(30, () => scorer.score(users, candidates, 100)));
    scorer.close();
  }
  // The same two calls through TensorFlow.js on the process's backend, for comparison.
  out.tfjsOneUserAllItemsMs = roundTo(
    time(20, () =>
      net.predict(
        new Int32Array(1682).fill(17),
        Int32Array.from({ length: 1682 }, (_, i) => i),
      ),
    ),
  );
  out.tfjsUsers1024x100Ms = roundTo(
    time(5, () =>
      net.predict(
        Int32Array.from(candidates, (_, k) => users[Math.floor(k / 100)]),
        candidates,
      ),
    ),
  );
  net.dispose();
  out.peakRssMb = peakRssMb();
  return out;
}

/**
 * NeuMF holdout NDCG@10 on ML-100K (the training package's holdout protocol) after at most
 * NEUMF_BENCH_EPOCHS epochs (default 20) with early stopping on HR@10. Target ≥ 0.40
 * (Microsoft Recommenders' NCF on ML-100K: 0.396).
 */
export async function neumfQualityBench(): Promise<BenchResult> {
  const backend = await ensureBackend();
  const epochs = Number(process.env.NEUMF_BENCH_EPOCHS ?? 20);
  const { train, test } = holdoutSplit(await movieLens100k());
  const model = new NeuMfModel();
  const t0 = performance.now();
  await model.fit(
    train,
    { ...ARCH, negatives: 4, epochs, patience: 3 },
    {
      onProgress: (p) =>
        p.epoch !== undefined &&
        process.stderr.write(
          `epoch ${p.epoch}: loss ${p.loss?.toFixed(4)} ${p.metric?.name} ${p.metric?.value.toFixed(4)}\n`,
        ),
    },
  );
  const fitSeconds = (performance.now() - t0) / 1000;
  const ndcg = holdoutNdcg(model, train, test);
  return {
    backend: backend.candidate,
    'ndcg@10': roundTo(ndcg, 4),
    target: 0.4,
    epochsRun: model.training?.history.length ?? 0,
    bestEpoch: model.training?.bestEpoch ?? 0,
    fitSeconds: roundTo(fitSeconds),
    peakRssMb: peakRssMb(),
  };
}
