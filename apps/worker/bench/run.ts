import { registerBench, runBenchmarks } from '@recsys/benchmarking';
import { promoteToServingBench } from './promote-to-serving.bench';
import { queueOverheadBench } from './queue-overhead.bench';
import { tuningThroughputBench } from './tuning-throughput.bench';

/** `npm run bench -w apps/worker`: queue overhead, search throughput, promotion to serving; one JSON object. */
registerBench('queueOverhead', () => queueOverheadBench());
registerBench('tuningThroughput', () => tuningThroughputBench());
registerBench('promoteToServing', () => promoteToServingBench());

runBenchmarks(__filename);
