export { neuMfToOnnx, NEUMF_ONNX_OPSET } from './neumf-to-onnx';
export { OnnxScorer, ONNX_FILE, type OnnxScorerOptions } from './onnx-scorer';
