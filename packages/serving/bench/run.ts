import { registerBench, runBenchmarks } from '@recsys/benchmarking';
import { recommendMl100kBench } from './recommend.bench';

/** `npm run bench -w packages/serving`: one JSON object; each benchmark in its own process. */
registerBench('recommendMl100k', () => recommendMl100kBench());

runBenchmarks(__filename);
