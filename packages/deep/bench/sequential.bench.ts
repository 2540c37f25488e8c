import { peakRssMb, roundTo, type BenchResult } from '@recsys/benchmarking';
import {
  buildDatasetFromRows,
  movieLens100k as movieLens100kSource,
  userSequences,
  type InteractionDataset,
} from '@recsys/data';
import { ImportIssues } from '@recsys/db';
import {
  ensureBackend,
  Gru4RecModel,
  Gru4RecNetwork,
  gru4RecToOnnx,
  lastItems,
  OnnxSequenceScorer,
  SasRecModel,
  SasRecNetwork,
  sasRecToOnnx,
  type SequentialRecommender,
} from '../src';
import { looSampled, looSplit } from '../test/support/loo-sampled';

/** MovieLens 100K through the real importer's parser (no database). */
async function movieLens100k(): Promise<InteractionDataset> {
  return buildDatasetFromRows('ml-100k', movieLens100kSource().rows(new ImportIssues()));
}

type SequenceModelName = 'sasrec' | 'gru4rec';

// `never`: the benches only fit, score and read the training history, whatever the params type.
function createModel(name: SequenceModelName): SequentialRecommender<never> {
  return (name === 'sasrec'
    ? new SasRecModel()
    : new Gru4RecModel()) as unknown as SequentialRecommender<never>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Seconds per training epoch on all of ML-100K at the model's default parameters (windows of 50
 * items, batch 128 on cpu/wasm), from the per-epoch progress; validation off, so the figure is the
 * training step alone.
 */
export async function sequentialEpochBench(name: SequenceModelName): Promise<BenchResult> {
  const backend = await ensureBackend();
  const epochs = Number(process.env.SEQ_BENCH_TIMING_EPOCHS ?? 3);
  const stamps: number[] = [];
  const model = createModel(name);
  const t0 = performance.now();
  await model.fit(
    await movieLens100k(),
    { epochs, validation: false },
    { onProgress: (p) => p.epoch !== undefined && stamps.push(performance.now()) },
  );
  const gaps = stamps.map((t, i) => (t - (i === 0 ? t0 : stamps[i - 1])) / 1000);
  return {
    backend: backend.candidate,
    batchSize: model.batchSize,
    epochSeconds: roundTo(median(gaps)),
    firstEpochSeconds: roundTo(gaps[0]),
    peakRssMb: peakRssMb(),
  };
}

/**
 * ONNX Runtime (CPU EP, 1 and 2 intra-op threads) on each default graph for ML-100K's 1,682 items, maxLen 50: one
 * session × every item, and 1,024 sessions (users' real last 50 items) × 100 candidates each.
 * Weights are the untrained initialisation: inference cost does not depend on their values.
 */
export async function sequentialOnnxBench(): Promise<BenchResult> {
  await ensureBackend();
  const data = await movieLens100k();
  const items = data.items.size;
  const maxLen = 50;
  const histories = lastItems(userSequences(data.log, data.users.size), maxLen);
  const rows = 1024;
  const sessions = new Int32Array(rows * maxLen);
  for (let r = 0; r < rows; r++) {
    const u = r % data.users.size;
    sessions.set(histories.subarray(u * maxLen, (u + 1) * maxLen), r * maxLen);
  }
  const candidates = Int32Array.from({ length: rows * 100 }, (_, k) => (k * 7919) % items);
  const oneSession = Array.from(histories.subarray(17 * maxLen, 18 * maxLen)).filter((i) => i >= 0);
  const time = async (reps: number, f: () => Promise<unknown>): Promise<number> => {
    for (let r = 0; r < 3; r++) await f();
    const ms: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      await f();
      ms.push(performance.now() - t);
    }
    return median(ms);
  };
  const sasrec = new SasRecNetwork({
    items,
    maxLen,
    dim: 64,
    blocks: 2,
    heads: 1,
    dropout: 0.2,
    loss: 'cross-entropy',
    seed: 1,
  });
  const gru4rec = new Gru4RecNetwork({
    items,
    maxLen,
    embeddingDim: 64,
    layers: [100],
    embeddingDropout: 0,
    hiddenDropout: 0.2,
    loss: 'cross-entropy',
    bprMaxRegularization: 1,
    seed: 1,
  });
  const graphs: [string, Uint8Array][] = [
    ['sasrec', sasRecToOnnx(sasrec.arch, sasrec.parameters.read())],
    ['gru4rec', gru4RecToOnnx(gru4rec.arch, gru4rec.parameters.read())],
  ];
  sasrec.dispose();
  gru4rec.dispose();
  const out: BenchResult = {};
  for (const [name, graph] of graphs) {
    for (const threads of [1, 2]) {
      const scorer = await OnnxSequenceScorer.fromFile(graph, items, maxLen, { threads });
      const at = `${name}.threads${threads}`;
      out[`${at}.oneSessionAllItemsMs`] = roundTo(await time(100, () => scorer.scoreSequence(oneSession)));
      out[`${at}.sessions1024x100Ms`] = roundTo(
        await time(10, () => scorer.scorePadded(sessions, candidates, 100)),
      );
      await scorer.close();
    }
  }
  return out;
}

/**
 * The loo-sampled protocol on ML-100K (each user's latest event against 99 sampled unseen items, seed
 * 42; the figures `recsys evaluate --protocol loo-sampled` prints) at the model's default parameters:
 * early stopping on HR@10 of each user's previous event, up to SEQ_BENCH_EPOCHS epochs (default 100).
 */
export async function sequentialQualityBench(name: SequenceModelName): Promise<BenchResult> {
  const backend = await ensureBackend();
  const { train, test } = looSplit(await movieLens100k());
  const model = createModel(name);
  const t0 = performance.now();
  await model.fit(train, { epochs: Number(process.env.SEQ_BENCH_EPOCHS ?? 100) });
  const fitSeconds = (performance.now() - t0) / 1000;
  const r = looSampled(model, train, test);
  return {
    backend: backend.candidate,
    hitAt10: roundTo(r.hr, 4),
    ndcgAt10: roundTo(r.ndcg, 4),
    users: r.users,
    epochs: model.training?.history.length ?? 0,
    bestEpoch: model.training?.bestEpoch ?? 0,
    fitSeconds: roundTo(fitSeconds),
    peakRssMb: peakRssMb(),
  };
}
