import { registerBench, runBenchmarks } from '@recsys/benchmarking';
import { neumfEpochBench, neumfQualityBench, neumfTorchBench, onnxInferenceBench } from './neumf.bench';

/** `npm run bench -w packages/deep`: NeuMF training speed, the PyTorch reference, ONNX serving, quality. */
registerBench('neumfEpoch', () => neumfEpochBench());
registerBench('neumfTorch', () => neumfTorchBench());
registerBench('onnxInference', () => onnxInferenceBench());
registerBench('neumfQuality', () => neumfQualityBench());

runBenchmarks(__filename);
