import { OnnxAttributeType, OnnxDataType } from './onnx-schema';
import { intAttr, tensorInfo, type OnnxGraphBuilder, type OnnxModelDescription } from './onnx-graph';

/**
 * The interface every sequential model's ONNX graph shares (SASRec, GRU4Rec), so one scorer serves
 * both (OnnxSequenceScorer):
 * - input `sequence` int64[N, L]: each row a history or session, oldest first, left-padded with −1
 *   (PAD) so the most recent item is in the last column; L is the model's maxLen;
 * - input `candidates` int64[N, M]: item indexes to score for each row (M free; the whole catalog for
 *   score-all);
 * - output `scores` float[N, M]: state · item vector (+ item bias), the scores of the TF.js model.
 */
export const SEQUENCE_INPUT = 'sequence';
export const CANDIDATES_INPUT = 'candidates';
export const SCORES_OUTPUT = 'scores';

/** The inputs and output of a sequence graph of maxLen `maxLen`. */
export function sequenceGraphSignature(maxLen: number): Pick<OnnxModelDescription, 'inputs' | 'outputs'> {
  return {
    inputs: [
      tensorInfo(SEQUENCE_INPUT, OnnxDataType.INT64, ['N', maxLen]),
      tensorInfo(CANDIDATES_INPUT, OnnxDataType.INT64, ['N', 'M']),
    ],
    outputs: [tensorInfo(SCORES_OUTPUT, OnnxDataType.FLOAT, ['N', 'M'])],
  };
}

export const intsAttr = (name: string, ints: number[]): { name: string; type: number; ints: number[] } => ({
  name,
  type: OnnxAttributeType.INTS,
  ints,
});

/** TensorProto.DataType codes for Cast's `to`. */
export const CAST_TO = { FLOAT: 1, INT32: 6, INT64: 7 } as const;

/** Unsqueeze `x` at `axes` (opset 13 takes the axes as an input). */
export function unsqueeze(g: OnnxGraphBuilder, x: string, axes: number[], output: string): string {
  return g.op('Unsqueeze', [x, g.int64(`${output}_axes`, [axes.length], axes)], output);
}

/** Squeeze `x` at `axes` (opset 13 takes the axes as an input). */
export function squeeze(g: OnnxGraphBuilder, x: string, axes: number[], output: string): string {
  return g.op('Squeeze', [x, g.int64(`${output}_axes`, [axes.length], axes)], output);
}

/**
 * The scoring head shared by both graphs: scores[n, m] = state[n] · table[candidates[n, m]]
 * (+ bias[candidates[n, m]]), as a batched MatMul of each row's candidate vectors by its state.
 */
export function candidateScores(
  g: OnnxGraphBuilder,
  state: string,
  table: string,
  bias: string | null,
): string {
  const vectors = g.op('Gather', [table, CANDIDATES_INPUT], 'candidate_vectors', [intAttr('axis', 0)]);
  const column = unsqueeze(g, state, [2], 'state_column');
  const dots = squeeze(
    g,
    g.op('MatMul', [vectors, column], 'candidate_dots'),
    [2],
    bias ? 'candidate_logits' : SCORES_OUTPUT,
  );
  if (bias === null) return dots;
  const b = g.op('Gather', [bias, CANDIDATES_INPUT], 'candidate_bias', [intAttr('axis', 0)]);
  return g.op('Add', [dots, b], SCORES_OUTPUT);
}
