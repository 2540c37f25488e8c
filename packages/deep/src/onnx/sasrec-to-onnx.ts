import {
  causalMask,
  SASREC_LAYER_NORM_EPSILON,
  SASREC_MASKED,
  type SasRecArchitecture,
} from '../models/sasrec-network';
import { intAttr, OnnxGraphBuilder } from './onnx-graph';
import {
  CAST_TO,
  candidateScores,
  intsAttr,
  SEQUENCE_INPUT,
  sequenceGraphSignature,
  unsqueeze,
} from './sequence-onnx';

/**
 * Layer normalisation over the last axis from opset-13 ops (LayerNormalization is opset 17):
 * (x − mean) / √(var + ε) · γ + β, with the trained `${name}_gamma` and `${name}_beta`.
 */
function layerNorm(
  g: OnnxGraphBuilder,
  weights: Record<string, Float32Array>,
  name: string,
  x: string,
  dim: number,
): string {
  const last = [intsAttr('axes', [-1]), intAttr('keepdims', 1)];
  const mean = g.op('ReduceMean', [x], `${name}_mean`, last);
  const centred = g.op('Sub', [x, mean], `${name}_centred`);
  const variance = g.op(
    'ReduceMean',
    [g.op('Mul', [centred, centred], `${name}_squares`)],
    `${name}_variance`,
    last,
  );
  const eps = g.constant(`${name}_epsilon`, [SASREC_LAYER_NORM_EPSILON]);
  const std = g.op('Sqrt', [g.op('Add', [variance, eps], `${name}_shifted`)], `${name}_std`);
  const normed = g.op('Div', [centred, std], `${name}_normed`);
  const scaled = g.op('Mul', [normed, g.weight(weights, `${name}_gamma`, [dim])], `${name}_scaled`);
  return g.op('Add', [scaled, g.weight(weights, `${name}_beta`, [dim])], `${name}_out`);
}

/** x·W + b over the last axis of a [N, L, in] tensor (Gemm takes only matrices). */
function dense3(
  g: OnnxGraphBuilder,
  weights: Record<string, Float32Array>,
  name: string,
  x: string,
  inputs: number,
  units: number,
): string {
  const product = g.op(
    'MatMul',
    [x, g.weight(weights, `${name}_kernel`, [inputs, units])],
    `${name}_product`,
  );
  return g.op('Add', [product, g.weight(weights, `${name}_bias`, [units])], `${name}_linear`);
}

/**
 * The ONNX graph (opset 13) of a trained SASRec: SasRecNetwork's inference pass (no dropout) on
 * `sequence` int64[N, maxLen] (left-padded with −1), scoring `candidates` int64[N, M] with the shared
 * item embedding into `scores` float[N, M] (see sequence-onnx.ts). PAD rows read the embedding table's
 * last row (Gather's negative index), which the position mask zeroes as in TF.js; padding keys get
 * −1e9 added to their attention logits, as do future keys (a constant causal mask).
 */
export function sasRecToOnnx(arch: SasRecArchitecture, weights: Record<string, Float32Array>): Uint8Array {
  const g = new OnnxGraphBuilder('sasrec');
  const { items, maxLen: L, dim: d, heads, blocks } = arch;
  const dh = d / heads;
  const table = g.weight(weights, 'item_embedding', [items + 1, d]);

  const isPad = g.op('Less', [SEQUENCE_INPUT, g.int64('zero', [], [0])], 'is_padding');
  const mask = g.op('Cast', [g.op('Not', [isPad], 'is_item')], 'item_mask', [intAttr('to', CAST_TO.FLOAT)]);
  const positionMask = unsqueeze(g, mask, [2], 'position_mask'); // [N, L, 1]
  const padBias = g.op(
    'Mul',
    [
      g.op('Cast', [isPad], 'padding_flags', [intAttr('to', CAST_TO.FLOAT)]),
      g.constant('masked', [SASREC_MASKED]),
    ],
    'padding_bias',
  );
  const attentionMask = g.op(
    'Add',
    [unsqueeze(g, padBias, [1, 2], 'key_bias'), g.float('causal_mask', [L, L], causalMask(L))],
    'attention_mask',
  ); // [N, 1, L, L]

  const embedded = g.op('Gather', [table, SEQUENCE_INPUT], 'embedded', [intAttr('axis', 0)]);
  const scaled = g.op('Mul', [embedded, g.constant('embedding_scale', [Math.sqrt(d)])], 'embedded_scaled');
  const positioned = g.op('Add', [scaled, g.weight(weights, 'position_embedding', [L, d])], 'positioned');
  let x = g.op('Mul', [positioned, positionMask], 'block_input_0');

  const toHeads = (t: string, name: string, perm: number[]): string =>
    g.op('Transpose', [g.reshape(t, [0, 0, heads, dh], `${name}_split`)], `${name}_heads`, [
      intsAttr('perm', perm),
    ]);
  const lastPosition = g.int64('last_position', [], [L - 1]);
  const scale = g.constant('attention_scale', [1 / Math.sqrt(dh)]);
  for (let b = 0; b < blocks - 1; b++) {
    const n = `block_${b}`;
    const h = layerNorm(g, weights, `${n}_attention_norm`, x, d);
    const q = toHeads(dense3(g, weights, `${n}_query`, h, d, d), `${n}_q`, [0, 2, 1, 3]); // [N, H, L, dh]
    const k = toHeads(dense3(g, weights, `${n}_key`, h, d, d), `${n}_k`, [0, 2, 3, 1]); // [N, H, dh, L]
    const v = toHeads(dense3(g, weights, `${n}_value`, h, d, d), `${n}_v`, [0, 2, 1, 3]);
    const logits = g.op('Mul', [g.op('MatMul', [q, k], `${n}_qk`), scale], `${n}_logits`);
    const attention = g.op(
      'Softmax',
      [g.op('Add', [logits, attentionMask], `${n}_masked`)],
      `${n}_attention`,
      [intAttr('axis', -1)],
    );
    const attended = g.op('MatMul', [attention, v], `${n}_attended`);
    const merged = g.reshape(
      g.op('Transpose', [attended], `${n}_merged_heads`, [intsAttr('perm', [0, 2, 1, 3])]),
      [0, 0, d],
      `${n}_merged`,
    );
    x = g.op('Add', [x, merged], `${n}_attention_residual`);
    const f = layerNorm(g, weights, `${n}_ffn_norm`, x, d);
    const inner = g.op('Relu', [dense3(g, weights, `${n}_ffn_0`, f, d, d)], `${n}_ffn_hidden`);
    const ffn = dense3(g, weights, `${n}_ffn_1`, inner, d, d);
    x = g.op('Mul', [g.op('Add', [x, ffn], `${n}_ffn_residual`), positionMask], `block_input_${b + 1}`);
  }
  // The last block only for the last position, the one that is scored: it still attends over every
  // position's keys and values, but its query, feed-forward and norms run on one row per sequence
  // (causal attention makes that row independent of the others' outputs), about a third of the graph.
  const n = `block_${blocks - 1}`;
  const h = layerNorm(g, weights, `${n}_attention_norm`, x, d);
  const k = toHeads(dense3(g, weights, `${n}_key`, h, d, d), `${n}_k`, [0, 2, 3, 1]); // [N, H, dh, L]
  const v = toHeads(dense3(g, weights, `${n}_value`, h, d, d), `${n}_v`, [0, 2, 1, 3]);
  const hLast = g.op('Gather', [h, lastPosition], `${n}_last_normed`, [intAttr('axis', 1)]); // [N, d]
  const q = g.reshape(g.dense(weights, `${n}_query`, hLast, d, d), [0, heads, 1, dh], `${n}_q_heads`);
  // The last query sees every key but padding: its row of the mask is the padding bias alone.
  const logits = g.op('Mul', [g.op('MatMul', [q, k], `${n}_qk`), scale], `${n}_logits`); // [N, H, 1, L]
  const attention = g.op(
    'Softmax',
    [g.op('Add', [logits, unsqueeze(g, padBias, [1, 2], 'last_key_bias')], `${n}_masked`)],
    `${n}_attention`,
    [intAttr('axis', -1)],
  );
  const merged = g.reshape(g.op('MatMul', [attention, v], `${n}_attended`), [0, d], `${n}_merged`);
  const xLast = g.op('Gather', [x, lastPosition], `${n}_last_input`, [intAttr('axis', 1)]);
  const attended = g.op('Add', [xLast, merged], `${n}_attention_residual`);
  const f = layerNorm(g, weights, `${n}_ffn_norm`, attended, d);
  const inner = g.op('Relu', [g.dense(weights, `${n}_ffn_0`, f, d, d)], `${n}_ffn_hidden`);
  const ffn = g.dense(weights, `${n}_ffn_1`, inner, d, d);
  const lastMask = unsqueeze(
    g,
    g.op('Gather', [mask, lastPosition], 'last_mask', [intAttr('axis', 1)]),
    [1],
    'last_mask_column',
  );
  const output = g.op('Mul', [g.op('Add', [attended, ffn], `${n}_ffn_residual`), lastMask], 'blocks_output');
  const state = layerNorm(g, weights, 'final_norm', output, d);
  candidateScores(g, state, table, null);

  return g.build({
    graphName: 'sasrec',
    docString:
      'SASRec (Kang & McAuley 2018). Inputs: sequence int64[N, L] item indexes oldest first, left-padded ' +
      'with -1 (L = maxLen); candidates int64[N, M] item indexes to score per row. Output: scores ' +
      'float[N, M] = F_last · item_embedding[candidate], F_last the last position after the blocks.',
    ...sequenceGraphSignature(L),
    metadata: { model: 'sasrec', items: String(items), maxLen: String(L), padding: '-1' },
  });
}
