import { registerBench, runBenchmarks } from '@recsys/benchmarking';
import { linUcbQualityBench, offPolicyBench, regretBench } from './quality.bench';
import { linUcbBench, thompsonBench } from './throughput.bench';

/** `npm run bench -w packages/bandits`: choose+update throughput, and the regret and coverage figures. */
registerBench('thompson', () => thompsonBench());
registerBench('linUcb', () => linUcbBench());
registerBench('regret', () => regretBench());
registerBench('offPolicy', () => offPolicyBench());
registerBench('linUcbQuality', () => linUcbQualityBench());

runBenchmarks(__filename);
