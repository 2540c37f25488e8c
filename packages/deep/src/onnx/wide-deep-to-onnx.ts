import { CROSS_HASH_MULTIPLIER, type ResolvedCross } from '../models/wide-deep-crosses';
import type { WideDeepArchitecture } from '../models/wide-deep';
import type { FeatureInputGraph } from './feature-input-to-onnx';
import { mlpGraph } from './mlp-to-onnx';
import { intAttr, type OnnxGraphBuilder } from './onnx-graph';

/** The buckets of cross keys (int64, any shape): the key itself, or its Fibonacci hash (crossBucket). */
function bucketGraph(g: OnnxGraphBuilder, key: string, cross: ResolvedCross, prefix: string): string {
  if (cross.hashBits === 0) return key;
  const k = g.int64(`${prefix}_multiplier`, [], [CROSS_HASH_MULTIPLIER]);
  const m = g.int64(`${prefix}_modulus`, [], [2 ** 32]);
  const shift = g.int64(`${prefix}_shift`, [], [2 ** (32 - cross.hashBits)]);
  const low = g.op('Mod', [g.op('Mul', [key, k], `${prefix}_product`), m], `${prefix}_low_bits`);
  return g.op('Div', [low, shift], `${prefix}_bucket`);
}

/** One cross's wide term [N] (WideDeepNetwork.crossed). */
function crossGraph(
  g: OnnxGraphBuilder,
  input: FeatureInputGraph,
  cross: ResolvedCross,
  k: number,
  weights: Record<string, Float32Array>,
): string {
  const prefix = `wide_cross_${k}`;
  const w = g.weight(weights, prefix, [cross.buckets]);
  const width = g.int64(`${prefix}_b_width`, [], [cross.bWidth]);
  const a = g.op('Mul', [input.field(cross.a), width], `${prefix}_a_scaled`);
  const axis0 = [intAttr('axis', 0)];
  if (cross.b.kind === 'field') {
    const key = g.op('Add', [a, input.field(cross.b.field)], `${prefix}_key`);
    return g.op('Gather', [w, bucketGraph(g, key, cross, prefix)], `${prefix}_term`, axis0);
  }
  const columns = g.int64(
    `${prefix}_columns`,
    [cross.bWidth],
    Array.from({ length: cross.bWidth }, (_, j) => j),
  );
  const key = g.op('Add', [g.reshape(a, [-1, 1], `${prefix}_a_column`), columns], `${prefix}_key`);
  const picked = g.op('Gather', [w, bucketGraph(g, key, cross, prefix)], `${prefix}_weights`, axis0);
  const active = input.denseColumns(cross.b.offset, cross.bWidth, `${prefix}_active`);
  return g.reduceSum(g.op('Mul', [picked, active], `${prefix}_weighted`), [1], false, `${prefix}_term`);
}

/** Wide & Deep's logit [N]: linear + crosses + the deep tower's output (WideDeepNetwork; no dropout). */
export function wideDeepLogit(
  g: OnnxGraphBuilder,
  input: FeatureInputGraph,
  arch: WideDeepArchitecture,
  weights: Record<string, Float32Array>,
): string {
  const flatWidth = input.spec.layout.cardinalities.length * arch.embeddingDim + input.spec.layout.denseWidth;
  const { output, width } = mlpGraph(g, weights, 'deep', input.flat(), flatWidth, arch.deepLayers);
  const deep = g.reshape(g.dense(weights, 'deep_output', output, width, 1), [-1], 'deep_logit');
  let wide = input.linear();
  arch.crosses.forEach((c, k) => {
    wide = g.op('Add', [wide, crossGraph(g, input, c, k, weights)], `wide_logit_${k}`);
  });
  return g.op('Add', [wide, deep], 'wide_deep_logit');
}
