import { registerModelFactory } from '@recsys/models';
import { NeuMfModel } from './models/neumf';
import { Gru4RecModel } from './models/gru4rec';
import { SasRecModel } from './models/sasrec';
import { LogisticRegressionModel } from './models/logistic-regression';
import { FactorizationMachineModel } from './models/factorization-machine';
import { WideDeepModel } from './models/wide-deep';
import { NfmModel } from './models/nfm';
import { DcnV2Model } from './models/dcn-v2';

export * from './runtime';
export * from './kernels';
export * from './nn';
export * from './training';
export * from './onnx';
export { NeuMfModel, DEFAULT_BATCH_SIZE, type NeuMfParams, type NeuMfOptions } from './models/neumf';
export { NeuMfNetwork, NEUMF_EMBEDDINGS, type NeuMfArchitecture } from './models/neumf-network';
export {
  DEFAULT_SEQUENCE_BATCH_SIZE,
  SequentialRecommender,
  type SequenceModelOptions,
  type SequenceTrainingParams,
} from './models/sequence-recommender';
export { SasRecModel, type SasRecParams } from './models/sasrec';
export { SasRecNetwork, type SasRecArchitecture } from './models/sasrec-network';
export { Gru4RecModel, type Gru4RecParams } from './models/gru4rec';
export { Gru4RecNetwork, type Gru4RecArchitecture } from './models/gru4rec-network';
export * from './models/feature-input-exports';

/** `import '@recsys/deep'` adds the deep models to @recsys/models' registry (createModel, loadModel). */
registerModelFactory('neumf', () => new NeuMfModel());
registerModelFactory('sasrec', () => new SasRecModel());
registerModelFactory('gru4rec', () => new Gru4RecModel());
// The feature models (ranking via fit, CTR via fitCtr; see models/feature-input-ctr.ts).
registerModelFactory('lr', () => new LogisticRegressionModel());
registerModelFactory('fm', () => new FactorizationMachineModel());
registerModelFactory('wide-deep', () => new WideDeepModel());
registerModelFactory('nfm', () => new NfmModel());
registerModelFactory('dcn-v2', () => new DcnV2Model());
