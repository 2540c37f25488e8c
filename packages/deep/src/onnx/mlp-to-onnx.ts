import type { OnnxGraphBuilder } from './onnx-graph';

/** The ReLU tower `${prefix}_dense_<l>` (feature-input-network's mlp without dropout); its output and width. */
export function mlpGraph(
  g: OnnxGraphBuilder,
  weights: Record<string, Float32Array>,
  prefix: string,
  x: string,
  inputs: number,
  layers: readonly number[],
): { output: string; width: number } {
  let h = x;
  let width = inputs;
  layers.forEach((units, l) => {
    h = g.op('Relu', [g.dense(weights, `${prefix}_dense_${l}`, h, width, units)], `${prefix}_${l}`);
    width = units;
  });
  return { output: h, width };
}
