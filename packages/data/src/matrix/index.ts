export {
  buildCsr,
  transposeCsr,
  rowOf,
  rowLength,
  findEntry,
  hasEntry,
  nnz,
  type CsrMatrix,
  type CsrRow,
  type DuplicatePolicy,
  type BuildCsrOptions,
} from './csr';
export { userItemMatrix, type UserItemValue, type UserItemMatrixOptions } from './user-item-matrix';
