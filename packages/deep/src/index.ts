import { registerModelFactory } from '@recsys/models';
import { NeuMfModel } from './models/neumf';

export * from './runtime';
export * from './kernels';
export * from './nn';
export * from './training';
export * from './onnx';
export { NeuMfModel, DEFAULT_BATCH_SIZE, type NeuMfParams, type NeuMfOptions } from './models/neumf';
export { NeuMfNetwork, NEUMF_EMBEDDINGS, type NeuMfArchitecture } from './models/neumf-network';

/** `import '@recsys/deep'` adds the deep models to @recsys/models' registry (createModel, loadModel). */
registerModelFactory('neumf', () => new NeuMfModel());
