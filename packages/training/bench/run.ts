import { registerBench, runBenchmarks } from '@recsys/benchmarking';
import { als10MBench, als1MBench, alsMl100kBench } from './als.bench';
import { holdoutQualityBench, svdCv5Bench } from './evaluation.bench';

/** `npm run bench -w packages/training`: speed and quality targets of the classical models, one JSON object. */
registerBench('svdCv5', () => svdCv5Bench());
registerBench('alsMl100k', () => alsMl100kBench());
registerBench('als1M', () => als1MBench());
registerBench('als10M', () => als10MBench());
registerBench('holdoutQuality', () => holdoutQualityBench());

runBenchmarks(__filename);
