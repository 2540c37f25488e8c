import type { FeatureInputGraph } from './feature-input-to-onnx';
import type { OnnxGraphBuilder } from './onnx-graph';

/** Bi-interaction pooling ½[(Σ_f e_f)² − Σ_f e_f²], [N, k], from FeatureInputGraph.fieldMoments. */
export function biInteractionGraph(g: OnnxGraphBuilder, input: FeatureInputGraph, prefix: string): string {
  const { sum, squares } = input.fieldMoments();
  const squareOfSum = g.op('Mul', [sum, sum], `${prefix}_square_of_sum`);
  const half = g.constant(`${prefix}_half`, [0.5]);
  return g.op('Mul', [g.op('Sub', [squareOfSum, squares], `${prefix}_difference`), half], prefix);
}

/** The FM logit [N]: first-order term + Σ_k of the bi-interaction (FactorizationMachineNetwork). */
export function factorizationMachineLogit(g: OnnxGraphBuilder, input: FeatureInputGraph): string {
  const pairs = g.reduceSum(biInteractionGraph(g, input, 'fm_pairs'), [1], false, 'fm_pairwise');
  return g.op('Add', [input.linear(), pairs], 'fm_logit');
}
