import type { NeuMfArchitecture } from '../models/neumf-network';
import { OnnxDataType } from './onnx-schema';
import { intAttr, ONNX_OPSET, OnnxGraphBuilder, tensorInfo } from './onnx-graph';

/** ONNX opset of the exported graph (the shared ONNX_OPSET; kept under its old name for callers). */
export const NEUMF_ONNX_OPSET = ONNX_OPSET;

/** TensorProto.DataType.INT32: the graph's index inputs (Gather takes int32 indices as they are). */
const INT32 = 6;

/**
 * rows × `cols` table T = E · K[offset .. offset + dim, :] (+ bias): each row of the embedding table E
 * (rows × dim) times a block of rows of the kernel K (· × cols), accumulated in float64.
 */
export function projectRows(
  table: Float32Array,
  rows: number,
  dim: number,
  kernel: Float32Array,
  offset: number,
  cols: number,
  bias?: Float32Array,
): Float32Array {
  const out = new Float32Array(rows * cols);
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    if (bias) for (let c = 0; c < cols; c++) acc[c] = bias[c];
    else acc.fill(0);
    for (let d = 0; d < dim; d++) {
      const x = table[r * dim + d];
      const k = (offset + d) * cols;
      for (let c = 0; c < cols; c++) acc[c] += x * kernel[k + c];
    }
    for (let c = 0; c < cols; c++) out[r * cols + c] = acc[c];
  }
  return out;
}

/**
 * Builds the ONNX ModelProto of a trained NeuMF, the function of NeuMfNetwork's inference pass (dropout
 * absent), for `user` int32[B] against `item` int32[B, M] (each user's own M candidates) or int32[1, M]
 * (M candidates shared by every user); output `score` float[B, M]. Indexes are the artifact's id maps'.
 *
 * The graph is rearranged for speed rather than copied layer by layer; the algebra is exact up to float
 * rounding (tested against TF.js within 1e-4):
 * - the MLP's first layer on [p_u; q_i] is W_1ᵀ[p_u; q_i] + b_1 = W_uᵀp_u + (W_iᵀq_i + b_1) with W_1
 *   split by rows, so both terms are precomputed here as tables `mlp_user_projection` (users × h_1) and
 *   `mlp_item_projection` (items × h_1): two Gathers and an Add instead of a 2e × h_1 product per pair,
 *   which was most of the cost of scoring 1,024 users × 100 candidates;
 * - the GMF half of the prediction layer, h_Gᵀ(p_u ⊙ q_i) = (p_u ⊙ h_G)ᵀq_i, folds h_G into the user
 *   table `gmf_user_weighted`, leaving one batched MatMul of each user's candidate rows by its column;
 * - a user's rows are gathered once per user, not once per pair, and broadcast over its candidates.
 */
export function neuMfToOnnx(arch: NeuMfArchitecture, weights: Record<string, Float32Array>): Uint8Array {
  const g: OnnxGraphBuilder = new OnnxGraphBuilder('neumf');
  const { users, items, gmfDim: gd, mlpEmbeddingDim: e, mlpLayers } = arch;
  const read = (name: string, size: number): Float32Array => {
    const w = weights[name];
    if (w === undefined || w.length !== size)
      g.fail(`weight "${name}" missing or of wrong size (${w?.length ?? 0} values, expected ${size})`);
    return w;
  };
  const lastWidth = mlpLayers.length > 0 ? mlpLayers[mlpLayers.length - 1] : 0;
  const h = read('prediction_kernel', gd + lastWidth);
  const gmfUser = read('gmf_user_embedding', users * gd);
  const weighted = new Float32Array(users * gd);
  for (let k = 0; k < weighted.length; k++) weighted[k] = gmfUser[k] * h[k % gd];

  const axis0 = [intAttr('axis', 0)];
  g.float('gmf_user_weighted', [users, gd], weighted);
  g.weight(weights, 'gmf_item_embedding', [items, gd]);
  g.op('Gather', ['gmf_user_weighted', 'user'], 'gmf_user', axis0);
  g.reshape('gmf_user', [-1, gd, 1], 'gmf_user_column');
  g.op('Gather', ['gmf_item_embedding', 'item'], 'gmf_item', axis0);
  // [B or 1, M, g] × [B, g, 1] → [B, M, 1]: the h_G-weighted GMF logits.
  let logit = g.op('MatMul', ['gmf_item', 'gmf_user_column'], 'gmf_logit');
  if (mlpLayers.length > 0) {
    const h1 = mlpLayers[0];
    const k1 = read('mlp_dense_0_kernel', 2 * e * h1);
    const b1 = read('mlp_dense_0_bias', h1);
    const userTable = read('mlp_user_embedding', users * e);
    const itemTable = read('mlp_item_embedding', items * e);
    g.float('mlp_user_projection', [users, h1], projectRows(userTable, users, e, k1, 0, h1));
    g.float('mlp_item_projection', [items, h1], projectRows(itemTable, items, e, k1, e, h1, b1));
    g.op('Gather', ['mlp_user_projection', 'user'], 'mlp_user', axis0);
    g.reshape('mlp_user', [-1, 1, h1], 'mlp_user_row');
    g.op('Gather', ['mlp_item_projection', 'item'], 'mlp_item', axis0);
    g.op('Add', ['mlp_item', 'mlp_user_row'], 'mlp_0_linear');
    g.op('Relu', ['mlp_0_linear'], 'mlp_0_pairs');
    // [B, M, h_1] → [B·M, h_1]: the remaining layers are plain 2-D products.
    let x = g.reshape('mlp_0_pairs', [-1, h1], 'mlp_0');
    let width = h1;
    mlpLayers.slice(1).forEach((units, j) => {
      const linear = g.dense(weights, `mlp_dense_${j + 1}`, x, width, units, `mlp_${j + 1}_linear`);
      x = g.op('Relu', [linear], `mlp_${j + 1}`);
      width = units;
    });
    g.float('prediction_kernel_mlp', [lastWidth, 1], h.slice(gd));
    g.op('MatMul', [x, 'prediction_kernel_mlp'], 'mlp_logit_flat');
    g.op('Shape', ['gmf_logit'], 'logit_shape');
    g.op('Reshape', ['mlp_logit_flat', 'logit_shape'], 'mlp_logit');
    logit = g.op('Add', ['gmf_logit', 'mlp_logit'], 'joint_logit');
  }
  g.weight(weights, 'prediction_bias', [1]);
  g.op('Add', [logit, 'prediction_bias'], 'logit');
  g.op('Sigmoid', ['logit'], 'probability');
  g.reshape('probability', [0, -1], 'score');
  return g.build({
    graphName: 'neumf',
    docString:
      'NeuMF (He et al. 2017): score = sigmoid(h·[GMF; MLP] + b). Inputs: user int32[B], item ' +
      'int32[B, M] or int32[1, M] (dense indexes of the artifact id maps); output score float[B, M].',
    inputs: [tensorInfo('user', INT32, ['B']), tensorInfo('item', INT32, ['IB', 'M'])],
    outputs: [tensorInfo('score', OnnxDataType.FLOAT, ['B', 'M'])],
    metadata: { users: String(users), items: String(items) },
  });
}
