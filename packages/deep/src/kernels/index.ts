export { installFastKernels } from './install';
export { unsortedSegmentSumKernel } from './unsorted-segment-sum';
export { gatherRowsKernel } from './gather';
export { matMulExplicitTransposeKernel } from './mat-mul-explicit-transpose';
