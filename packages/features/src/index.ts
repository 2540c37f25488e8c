export * from './errors';
export { FEATURE_STATE_VERSION, type Json } from './state';
export * from './schema';
export { murmurHash3, murmurHash3Bytes } from './encoders/murmur3';
export { RunningMoments } from './encoders/running-moments';
export * from './encoders/categorical-vocabulary';
export * from './encoders/multi-hot-encoder';
export * from './encoders/hashing-encoder';
export * from './encoders/standard-scaler';
export * from './encoders/min-max-scaler';
export * from './encoders/cyclical-encoder';
export * from './records/record-options';
export {
  userRecords,
  priceSensitivityFromAttributes,
  type UserRecord,
  type UserRecordsOptions,
} from './records/user-records';
export { serviceRecords, type ServiceRecord, type ServiceRecordsOptions } from './records/service-records';
export * from './records/event-context';
export { transformAll, type RowTransformer } from './pipelines/row-transformer';
export { NumericBlock, type NumericSpec } from './pipelines/numeric-block';
export { localTime, type LocalTime } from './pipelines/local-time';
export { PriceTierDistribution } from './pipelines/price-sensitivity';
export * from './pipelines/user-feature-pipeline';
export * from './pipelines/service-feature-pipeline';
export * from './pipelines/context-feature-pipeline';
export * from './pipelines/interaction-weighting';
export { timeDecay, halfLifeSeconds } from './time-decay';
export * from './ctr/ctr-examples';
