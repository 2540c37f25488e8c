export * from './dataset';
export { buildDatasetFromRows } from './build-from-rows';
export { loadDatasetFromPostgres, type LoadDatasetOptions } from './load-from-postgres';
export { datasetFingerprint } from './fingerprint';
export { ItemSideBuilder, UserSideBuilder } from './side-data-builders';
