import * as tf from '@tensorflow/tfjs';
import {
  ModelError,
  ModelErrorCode,
  throwIfAborted,
  yieldToEventLoop,
  type FitProgress,
} from '@recsys/models';
import type { ParameterStore, WeightArrays } from '../nn/parameter-store';
import type { BackendChoice } from '../runtime/backend-ladder';
import { writeCheckpoint } from './checkpoint';
import { EarlyStopping } from './early-stopping';

/**
 * What every deep model exposes of how it trains (the convention of NeuMF, the feature models and the
 * sequence models): the TF.js backend it trained or serves on (null before `fit`/`load`) and the batch
 * size its last fit used (its `batchSize` parameter, or the default for that backend). Training jobs
 * record both with every run.
 */
export interface DeepTrainingRuntime {
  readonly backend: BackendChoice | null;
  readonly batchSize: number;
}

/** Whether `model` is a deep model (it follows DeepTrainingRuntime), as opposed to a classical one. */
export function isDeepModel(model: object): model is DeepTrainingRuntime {
  return 'backend' in model && 'batchSize' in model;
}

/** A network the loop can train: its weights, and the mean loss of one batch. */
export interface TrainableNetwork<B> {
  readonly parameters: ParameterStore;
  /**
   * The batch's mean loss. Called inside the optimizer's tidy: make the batch's tensors here from its
   * typed arrays, so they are disposed with the step. `step` counts batches from 0 over the whole run
   * (a dropout seed offset).
   */
  loss(batch: B, step: number): tf.Scalar;
}

/** One epoch's report (also what FitProgress carries). */
export interface EpochReport {
  epoch: number;
  epochs: number;
  /** Mean batch loss over the epoch. */
  loss: number;
  /** The validation metric, when one is configured. */
  metric?: { name: string; value: number };
  seconds: number;
  /** Whether this epoch is the best so far (always true without validation). */
  best: boolean;
}

/** An epoch's report as the FitProgress a model's `fit` reports (to the worker's queue, the CLI's bar). */
export function epochProgress(r: EpochReport): FitProgress {
  return {
    fraction: r.epoch / r.epochs,
    epoch: r.epoch,
    epochs: r.epochs,
    loss: r.loss,
    ...(r.metric ? { metric: r.metric } : {}),
  };
}

export interface TrainNetworkOptions<B> {
  /** For messages and errors. */
  modelName: string;
  network: TrainableNetwork<B>;
  optimizer: tf.Optimizer;
  epochs: number;
  /** The batches of epoch `epoch` (1-based): typed arrays, bounded in size. */
  batches(epoch: number): Iterable<B>;
  /** A validation metric (higher is better) computed after each epoch, for early stopping. */
  validation?: { name: string; evaluate(): number; patience: number; minDelta?: number };
  /** Where the best weights so far are also written (checkpoint.json + weights.bin). */
  checkpointDir?: string;
  onEpoch?(report: EpochReport): void;
  signal?: AbortSignal;
  /** Batches between yields to the event loop (so an abort can land). Default 32. */
  yieldEvery?: number;
}

export interface TrainNetworkResult {
  history: EpochReport[];
  /** The epoch whose weights the network holds at the end (the best one under validation). */
  bestEpoch: number;
  bestMetric?: number;
  stoppedEarly: boolean;
}

/**
 * The mini-batch training loop every deep model shares: for each epoch, one optimizer step per batch
 * (tensors built and disposed inside the step's tidy; the running loss summed on the device and read once
 * per epoch), then the validation metric, early stopping with patience, the best weights kept in memory
 * (and optionally on disk) and restored at the end. Nothing it creates outlives it: the loop leaves
 * `tf.memory().numTensors` where it found it, plus whatever the optimizer holds (the caller disposes it).
 */
export async function trainNetwork<B>(options: TrainNetworkOptions<B>): Promise<TrainNetworkResult> {
  const { network, optimizer, epochs, validation } = options;
  const vars = network.parameters.variables();
  const stopper = validation ? new EarlyStopping(validation.patience, validation.minDelta) : null;
  const yieldEvery = options.yieldEvery ?? 32;
  const history: EpochReport[] = [];
  let best: WeightArrays | null = null;
  let step = 0;
  let stoppedEarly = false;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    let lossSum: tf.Scalar = tf.scalar(0);
    let batches = 0;
    try {
      for (const batch of options.batches(epoch)) {
        const cost = optimizer.minimize(() => network.loss(batch, step), true, vars);
        step++;
        batches++;
        if (cost !== null) {
          const next = tf.add(lossSum, cost) as tf.Scalar;
          lossSum.dispose();
          cost.dispose();
          lossSum = next;
        }
        if (batches % yieldEvery === 0) {
          await yieldToEventLoop();
          throwIfAborted(options.signal, options.modelName);
        }
      }
      const loss = batches === 0 ? Number.NaN : (await lossSum.data())[0] / batches;
      if (!Number.isFinite(loss)) {
        throw new ModelError(
          ModelErrorCode.FIT_FAILED,
          `${options.modelName}: loss is ${loss} at epoch ${epoch} (diverged or no batches)`,
        );
      }
      const metric = validation ? { name: validation.name, value: validation.evaluate() } : undefined;
      const isBest = stopper && metric ? stopper.update(epoch, metric.value) : true;
      if (isBest) {
        best = network.parameters.read();
        if (options.checkpointDir !== undefined)
          await writeCheckpoint(options.checkpointDir, best, { epoch, loss, ...(metric ? { metric } : {}) });
      }
      const report: EpochReport = {
        epoch,
        epochs,
        loss,
        ...(metric ? { metric } : {}),
        seconds: (performance.now() - t0) / 1000,
        best: isBest,
      };
      history.push(report);
      options.onEpoch?.(report);
    } finally {
      lossSum.dispose();
    }
    await yieldToEventLoop();
    throwIfAborted(options.signal, options.modelName);
    if (stopper?.shouldStop && epoch < epochs) {
      stoppedEarly = true;
      break;
    }
  }
  const bestEpoch = stopper ? stopper.bestEpochNumber : history.length;
  // Restore the best epoch's weights when the last epoch was not it.
  if (best !== null && stopper !== null && bestEpoch !== history.length) network.parameters.write(best);
  return {
    history,
    bestEpoch,
    ...(stopper ? { bestMetric: stopper.bestValue } : {}),
    stoppedEarly,
  };
}
