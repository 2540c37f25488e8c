import type { FeatureInputGraph } from './feature-input-to-onnx';
import type { OnnxGraphBuilder } from './onnx-graph';

/** Logistic regression's logit [N]: the input layer's first-order term (see FeatureInputGraph.linear). */
export function logisticRegressionLogit(g: OnnxGraphBuilder, input: FeatureInputGraph): string {
  void g;
  return input.linear();
}
