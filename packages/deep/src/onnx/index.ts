export { neuMfToOnnx, NEUMF_ONNX_OPSET } from './neumf-to-onnx';
export {
  isOnnxServable,
  OnnxScorer,
  ONNX_FILE,
  type OnnxScorerOptions,
  type OnnxServable,
} from './onnx-scorer';
export { sasRecToOnnx } from './sasrec-to-onnx';
export { CANDIDATES_INPUT, SCORES_OUTPUT, SEQUENCE_INPUT } from './sequence-onnx';
export { gru4RecToOnnx } from './gru4rec-to-onnx';
export { OnnxSequenceScorer, SEQUENCE_MODEL_TYPES } from './onnx-sequence-scorer';
