import { z } from 'zod';
import type { CsrMatrix } from '@recsys/data';
import type { ModelInfo } from '@recsys/models';
import { gru4RecToOnnx } from '../onnx/gru4rec-to-onnx';
import type { SequenceNegatives } from '../training/sequence-examples';
import { Gru4RecNetwork, type Gru4RecArchitecture } from './gru4rec-network';
import {
  SequentialRecommender,
  sequenceTrainingShape,
  type SequenceTrainingParams,
} from './sequence-recommender';

const paramsSchema = z.object({
  ...sequenceTrainingShape,
  /** Adam's step size: 0.005 here (on ML-100K, 0.001 needed ~4 times the epochs for the same HR@10). */
  learningRate: z.number().positive().max(1).default(0.005),
  /** Size of the input item embedding. */
  embeddingDim: z.number().int().min(1).max(1024).default(64),
  /** Hidden units of each stacked GRU layer (the papers' single layer of 100). */
  layers: z.array(z.number().int().min(1).max(4096)).min(1).max(4).default([100]),
  embeddingDropout: z.number().min(0).max(0.95).default(0),
  /** Dropout on each GRU layer's output. */
  hiddenDropout: z.number().min(0).max(0.95).default(0.2),
  /**
   * `cross-entropy`: softmax over the whole catalog (GRU4Rec's cross-entropy loss, Hidasi & Czapp
   * 2023, with every item as a negative); `sampled-softmax`: the same against `negatives` items drawn
   * per batch (the papers' "additional samples"); `bpr-max`: Hidasi & Karatzoglou 2018's ranking loss
   * against those samples.
   */
  loss: z.enum(['cross-entropy', 'sampled-softmax', 'bpr-max']).default('cross-entropy'),
  /** Items sampled uniformly per batch as the negatives of sampled-softmax and BPR-max. */
  negatives: z.number().int().min(1).max(65_536).default(256),
  /** λ of BPR-max's score regularisation. */
  bprMaxRegularization: z.number().min(0).max(100).default(1),
});

export type Gru4RecParams = z.output<typeof paramsSchema>;

/**
 * GRU4Rec: Hidasi, Karatzoglou, Baltrunas & Tikk 2016, "Session-based Recommendations with Recurrent
 * Neural Networks" (ICLR), with the 2018 ranking loss BPR-max (Hidasi & Karatzoglou, CIKM) or the
 * cross-entropy loss. Trained with full back-propagation through time on padded windows of each user's
 * time-ordered events (the papers' session-parallel mini-batches carry state between batches instead;
 * windows let SASRec and GRU4Rec share one batcher and loop). A user's history is their one session;
 * `scoreSequence` scores an anonymous session from its items alone.
 */
export class Gru4RecModel extends SequentialRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'gru4rec',
    task: 'ranking',
    input: 'sequence',
    summary: 'Session-based recurrent recommender (GRU) on TensorFlow.js, for anonymous sessions too',
    reference: 'Hidasi, Karatzoglou, Baltrunas, Tikk 2016 (ICLR); Hidasi & Karatzoglou 2018 (CIKM)',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;

  /** The architecture the weights belong to. */
  architecture(): Gru4RecArchitecture {
    return (this.net() as Gru4RecNetwork).arch;
  }

  toOnnx(): Uint8Array {
    return gru4RecToOnnx(this.architecture(), this.weights());
  }

  protected createNetwork(params: Gru4RecParams, items: number): Gru4RecNetwork {
    return new Gru4RecNetwork({
      items,
      maxLen: params.maxLen,
      embeddingDim: params.embeddingDim,
      layers: [...params.layers],
      embeddingDropout: params.embeddingDropout,
      hiddenDropout: params.hiddenDropout,
      loss: params.loss,
      bprMaxRegularization: params.bprMaxRegularization,
      seed: params.seed,
    });
  }

  protected trainingParams(params: Gru4RecParams): SequenceTrainingParams {
    return params;
  }

  protected negativesFor(params: Gru4RecParams, seen: CsrMatrix): SequenceNegatives {
    return params.loss === 'cross-entropy' ? {} : { shared: { count: params.negatives, items: seen.cols } };
  }
}
