import { registerBench, runBenchmarks } from '@recsys/benchmarking';
import { neumfEpochBench, neumfQualityBench, neumfTorchBench, onnxInferenceBench } from './neumf.bench';
import { ctrComparisonBench, featureOnnxInferenceBench } from './feature-models.bench';
import { sequentialEpochBench, sequentialOnnxBench, sequentialQualityBench } from './sequential.bench';

/** `npm run bench -w packages/deep`: NeuMF training speed, the PyTorch reference, ONNX serving, quality. */
registerBench('neumfEpoch', () => neumfEpochBench());
registerBench('neumfTorch', () => neumfTorchBench());
registerBench('onnxInference', () => onnxInferenceBench());
registerBench('neumfQuality', () => neumfQualityBench());
// The feature models: the ctr protocol's comparison on ML-100K and their ONNX ranking graphs' latency.
registerBench('ctrComparison', () => ctrComparisonBench());
registerBench('featureOnnxInference', () => featureOnnxInferenceBench());

// The sequential models: epoch time, ONNX session scoring and the loo-sampled quality on ML-100K.
registerBench('sasrecEpoch', () => sequentialEpochBench('sasrec'));
registerBench('gru4recEpoch', () => sequentialEpochBench('gru4rec'));
registerBench('sequentialOnnxInference', () => sequentialOnnxBench());
registerBench('sasrecQuality', () => sequentialQualityBench('sasrec'));
registerBench('gru4recQuality', () => sequentialQualityBench('gru4rec'));

runBenchmarks(__filename);
