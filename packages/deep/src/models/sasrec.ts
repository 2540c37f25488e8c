import { z } from 'zod';
import { UniformNegativeSampler, type CsrMatrix } from '@recsys/data';
import { ModelError, ModelErrorCode, type ModelInfo } from '@recsys/models';
import { sasRecToOnnx } from '../onnx/sasrec-to-onnx';
import type { SequenceNegatives } from '../training/sequence-examples';
import { SasRecNetwork, type SasRecArchitecture } from './sasrec-network';
import {
  SequentialRecommender,
  sequenceTrainingShape,
  type SequenceTrainingParams,
} from './sequence-recommender';

const paramsSchema = z.object({
  ...sequenceTrainingShape,
  /**
   * Adam's step size: 0.005, where the paper uses 0.001. On ML-100K (loo-sampled, cross-entropy) 0.005
   * reached a higher HR@10 in fewer epochs: 0.730 after early stopping at epoch 24, against 0.718
   * after 25 epochs at 0.001.
   */
  learningRate: z.number().positive().max(1).default(0.005),
  /** Embedding and hidden size d (the paper's d = 50). */
  dim: z.number().int().min(1).max(1024).default(64),
  /** Self-attention blocks (the paper's b = 2). */
  blocks: z.number().int().min(1).max(8).default(2),
  /** Attention heads per block (the paper's single head); dim must divide by it. */
  heads: z.number().int().min(1).max(16).default(1),
  /** Dropout rate (the paper's 0.2 on MovieLens-1M). */
  dropout: z.number().min(0).max(0.95).default(0.2),
  /**
   * `bce`: the paper's binary cross-entropy with one sampled negative per position (eq. 6);
   * `cross-entropy`: softmax over the whole catalog, which Klenitskiy & Vasilev 2023 find converges in
   * fewer epochs and ranks better (ML-100K loo-sampled after 4 quick epochs: HR@10 0.672, BCE 0.594);
   * `sampled-softmax`: the same against `negatives` items drawn per batch, for larger catalogs.
   */
  loss: z.enum(['bce', 'cross-entropy', 'sampled-softmax']).default('cross-entropy'),
  /** Items drawn uniformly per batch as the sampled softmax's negatives. */
  negatives: z.number().int().min(1).max(65_536).default(256),
});

export type SasRecParams = z.output<typeof paramsSchema>;

/**
 * SASRec: Kang & McAuley 2018, "Self-Attentive Sequential Recommendation" (ICDM). Causal self-attention
 * over a user's last `maxLen` items with learned position embeddings predicts the next item through
 * the shared item embedding (sasrec-network.ts). Trained on every position of windows of the users'
 * time-ordered training events; a user is scored from their stored history, an anonymous session with
 * `scoreSequence`.
 */
export class SasRecModel extends SequentialRecommender<typeof paramsSchema> {
  readonly info: ModelInfo = {
    name: 'sasrec',
    task: 'ranking',
    input: 'sequence',
    summary: 'Self-attentive sequential recommendation (causal Transformer) on TensorFlow.js',
    reference: 'Kang & McAuley 2018, "Self-Attentive Sequential Recommendation" (ICDM)',
  };
  protected readonly stateVersion = 1;
  protected readonly paramsSchema = paramsSchema;

  /** The architecture the weights belong to. */
  architecture(): SasRecArchitecture {
    return (this.net() as SasRecNetwork).arch;
  }

  toOnnx(): Uint8Array {
    return sasRecToOnnx(this.architecture(), this.weights());
  }

  protected createNetwork(params: SasRecParams, items: number): SasRecNetwork {
    if (params.dim % params.heads !== 0)
      throw new ModelError(
        ModelErrorCode.INVALID_PARAMS,
        `sasrec: "dim" ${params.dim} is not divisible by "heads" ${params.heads}`,
      );
    return new SasRecNetwork({
      items,
      maxLen: params.maxLen,
      dim: params.dim,
      blocks: params.blocks,
      heads: params.heads,
      dropout: params.dropout,
      loss: params.loss,
      seed: params.seed,
    });
  }

  protected trainingParams(params: SasRecParams): SequenceTrainingParams {
    return params;
  }

  protected negativesFor(params: SasRecParams, seen: CsrMatrix): SequenceNegatives {
    switch (params.loss) {
      case 'bce':
        return {
          perPosition: { sampler: new UniformNegativeSampler(seen, { seed: params.seed + 1 }), count: 1 },
        };
      case 'sampled-softmax':
        return { shared: { count: params.negatives, items: seen.cols } };
      case 'cross-entropy':
        return {};
    }
  }
}
