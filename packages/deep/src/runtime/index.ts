export * from './backend-ladder';
export * from './errors';
export * from './logger';
export { isModuleNotFound, skipReason, type SkipReason } from './optional-module';
export { wasmDistDir } from './wasm-paths';
