export { importSource, type ImportSourceOptions } from './import-source';
