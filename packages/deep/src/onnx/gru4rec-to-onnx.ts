import type { Gru4RecArchitecture } from '../models/gru4rec-network';
import { intAttr, OnnxGraphBuilder } from './onnx-graph';
import {
  CAST_TO,
  candidateScores,
  intsAttr,
  SEQUENCE_INPUT,
  sequenceGraphSignature,
  squeeze,
} from './sequence-onnx';

/** [rows, cols] row-major → [cols, rows]. */
function transposed(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

/**
 * The ONNX graph (opset 13) of a trained GRU4Rec on `sequence` int64[N, maxLen] (left-padded with −1),
 * scoring `candidates` int64[N, M] into `scores` float[N, M] (see sequence-onnx.ts). Each layer is
 * ONNX's GRU op with linear_before_reset = 1 and the network's [z | r | h] kernels transposed into W,
 * R and B. ONNX's GRU reads variable-length sequences left-aligned (`sequence_lens`), so the graph
 * first moves each row's items to the front: reverse the row (Slice with step −1, padding now last),
 * then reverse its first `length` entries back (ReverseSequence); the last state is read the same way
 * from the outputs (ReverseSequence over time puts each row's last valid step first). A row of
 * padding alone keeps the zero state, as in TF.js (its scores are the item biases).
 */
export function gru4RecToOnnx(arch: Gru4RecArchitecture, weights: Record<string, Float32Array>): Uint8Array {
  const g = new OnnxGraphBuilder('gru4rec');
  const { items, maxLen: L, embeddingDim, layers } = arch;
  const read = (name: string, size: number): Float32Array => {
    const w = weights[name];
    if (w === undefined || w.length !== size)
      g.fail(`weight "${name}" missing or of wrong size (${w?.length ?? 0} values, expected ${size})`);
    return w;
  };

  const isItem = g.op('GreaterOrEqual', [SEQUENCE_INPUT, g.int64('zero', [], [0])], 'is_item');
  const lengths = g.reduceSum(
    g.op('Cast', [isItem], 'item_flags', [intAttr('to', CAST_TO.INT64)]),
    [1],
    false,
    'lengths',
  );
  const reversed = g.op(
    'Slice',
    [
      SEQUENCE_INPUT,
      g.int64('reverse_starts', [1], [-1]),
      g.int64('reverse_ends', [1], [-(L + 1)]),
      g.int64('reverse_axes', [1], [1]),
      g.int64('reverse_steps', [1], [-1]),
    ],
    'reversed',
  );
  const aligned = g.op('ReverseSequence', [reversed, lengths], 'aligned', [
    intAttr('batch_axis', 0),
    intAttr('time_axis', 1),
  ]);
  const table = g.weight(weights, 'item_embedding', [items + 1, embeddingDim]);
  const embedded = g.op('Gather', [table, aligned], 'embedded', [intAttr('axis', 0)]);
  let x = g.op('Transpose', [embedded], 'time_major', [intsAttr('perm', [1, 0, 2])]); // [L, N, E]
  const lengths32 = g.op('Cast', [lengths], 'lengths_int32', [intAttr('to', CAST_TO.INT32)]);

  let width = embeddingDim;
  layers.forEach((units, l) => {
    const h3 = 3 * units;
    const w = g.float(
      `gru_${l}_W`,
      [1, h3, width],
      transposed(read(`gru_${l}_input_kernel`, width * h3), width, h3),
    );
    const r = g.float(
      `gru_${l}_R`,
      [1, h3, units],
      transposed(read(`gru_${l}_recurrent_kernel`, units * h3), units, h3),
    );
    const bias = new Float32Array(2 * h3);
    bias.set(read(`gru_${l}_input_bias`, h3), 0);
    bias.set(read(`gru_${l}_recurrent_bias`, h3), h3);
    const b = g.float(`gru_${l}_B`, [1, 2 * h3], bias);
    const y = g.op('GRU', [x, w, r, b, lengths32], `gru_${l}_y`, [
      intAttr('hidden_size', units),
      intAttr('linear_before_reset', 1),
    ]); // [L, 1, N, H]
    x = squeeze(g, y, [1], `gru_${l}_out`);
    width = units;
  });
  const lastFirst = g.op('ReverseSequence', [x, lengths], 'last_first', [
    intAttr('batch_axis', 1),
    intAttr('time_axis', 0),
  ]);
  const state = g.op('Gather', [lastFirst, g.int64('first_step', [], [0])], 'state', [intAttr('axis', 0)]);
  candidateScores(
    g,
    state,
    g.weight(weights, 'output_embedding', [items, width]),
    g.weight(weights, 'output_bias', [items]),
  );

  return g.build({
    graphName: 'gru4rec',
    docString:
      'GRU4Rec (Hidasi et al. 2016, 2018). Inputs: sequence int64[N, L] item indexes oldest first, ' +
      'left-padded with -1 (L = maxLen); candidates int64[N, M] item ' +
      'indexes to score per row. Output: scores float[N, M] = h_last · output_embedding[c] + output_bias[c].',
    ...sequenceGraphSignature(L),
    metadata: { model: 'gru4rec', items: String(items), maxLen: String(L), padding: '-1' },
  });
}
