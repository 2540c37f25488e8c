import { registerBench, runBenchmarks } from '@recsys/benchmarking';
import { holdoutEnsemblesBench } from './holdout.bench';

/** `npm run bench -w packages/ensembles`: quality of the ensembles on ML-100K's holdout, one JSON object. */
registerBench('holdoutEnsembles', () => holdoutEnsemblesBench());

runBenchmarks(__filename);
