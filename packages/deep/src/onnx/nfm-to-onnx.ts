import type { NfmArchitecture } from '../models/nfm';
import { biInteractionGraph } from './factorization-machine-to-onnx';
import type { FeatureInputGraph } from './feature-input-to-onnx';
import { mlpGraph } from './mlp-to-onnx';
import type { OnnxGraphBuilder } from './onnx-graph';

/** NFM's logit [N]: first-order term + hᵀ MLP(bi-interaction) + b (NfmNetwork; dropout is training only). */
export function nfmLogit(
  g: OnnxGraphBuilder,
  input: FeatureInputGraph,
  arch: NfmArchitecture,
  weights: Record<string, Float32Array>,
): string {
  const bi = biInteractionGraph(g, input, 'nfm_bi');
  const { output, width } = mlpGraph(g, weights, 'nfm', bi, arch.embeddingDim, arch.layers);
  const out = g.reshape(g.dense(weights, 'nfm_output', output, width, 1), [-1], 'nfm_deep_logit');
  return g.op('Add', [input.linear(), out], 'nfm_logit');
}
