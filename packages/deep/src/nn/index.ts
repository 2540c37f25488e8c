export { initialValues, type Initializer } from './initializers';
export { ParameterStore, type WeightArrays } from './parameter-store';
export { addDense, dense, dropout, embed } from './layers';
export { dropoutMask, seededDropout } from './seeded-dropout';
export { restoreWeights } from './saved-weights';
