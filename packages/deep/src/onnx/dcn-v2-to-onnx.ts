import type { DcnV2Architecture } from '../models/dcn-v2';
import type { FeatureInputGraph } from './feature-input-to-onnx';
import { mlpGraph } from './mlp-to-onnx';
import { intAttr, type OnnxGraphBuilder } from './onnx-graph';

/** DCN-V2's logit [N] (DcnV2Network; no dropout): cross layers on x0, the deep tower, the output layer. */
export function dcnV2Logit(
  g: OnnxGraphBuilder,
  input: FeatureInputGraph,
  arch: DcnV2Architecture,
  width: number,
  weights: Record<string, Float32Array>,
): string {
  const x0 = input.flat();
  let x = x0;
  for (let l = 0; l < arch.crossLayers; l++) {
    let xw: string;
    if (arch.crossRank > 0) {
      const u = g.weight(weights, `cross_${l}_u`, [width, arch.crossRank]);
      const v = g.weight(weights, `cross_${l}_v`, [arch.crossRank, width]);
      xw = g.op('MatMul', [g.op('MatMul', [x, u], `cross_${l}_projected`), v], `cross_${l}_product`);
    } else {
      xw = g.op('MatMul', [x, g.weight(weights, `cross_${l}_kernel`, [width, width])], `cross_${l}_product`);
    }
    const b = g.weight(weights, `cross_${l}_bias`, [width]);
    const gate = g.op('Mul', [x0, g.op('Add', [xw, b], `cross_${l}_affine`)], `cross_${l}_gated`);
    x = g.op('Add', [gate, x], `cross_${l}`);
  }
  const deepInput = arch.structure === 'stacked' ? x : x0;
  const deep = mlpGraph(g, weights, 'deep', deepInput, width, arch.deepLayers);
  const joint =
    arch.structure === 'stacked'
      ? deep.output
      : g.op('Concat', [x, deep.output], 'dcn_joint', [intAttr('axis', 1)]);
  const jointWidth = arch.structure === 'stacked' ? deep.width : width + deep.width;
  return g.reshape(g.dense(weights, 'dcn_output', joint, jointWidth, 1), [-1], 'dcn_logit');
}
