export { datasetsDir } from './datasets-dir';
export {
  DATASET_SOURCE_KINDS,
  DatasetSourceError,
  type DatasetSource,
  type DatasetSourceErrorCode,
  type DatasetSourceKind,
} from './dataset-source';
export { fingerprintFiles, fingerprintValue } from './fingerprint';
export {
  readCsvBatches,
  readCsvTable,
  readDelimitedBatches,
  CsvHeader,
  eachRow,
  type RecordParser,
  type CsvColumnSpec,
  type CsvRow,
  type DelimitedFileOptions,
  type TextRecord,
} from './csv-lines';
export { parseDayMonthYear, parseInteger, parseNumber, parseTimestampMs, splitList } from './field-values';
export {
  movieLens100k,
  movieLens100kFiles,
  readMovieLens100kFold,
  readMovieLensRatings,
  type MovieLens100kFold,
  type MovieLens100kOptions,
  type MovieLensRating,
} from './movielens-100k';
export {
  movieLensLatestSmall,
  movieLensLatestSmallFiles,
  type MovieLensLatestSmallOptions,
} from './movielens-latest-small';
export { genericCsv, genericCsvDatasetId, type GenericCsvFiles, type GenericCsvOptions } from './generic-csv';
export { resolveSource, SOURCE_SPECS, type ResolveSourceOptions } from './resolve-source';
