import { registerBench, runBenchmarks } from '@recsys/benchmarking';
import { csrMemoryBench } from './csr-memory.bench';
import { csrFromMemory10MBench, csrFromPostgres10MBench } from './csr-sources.bench';
import { ml100kImportBench, synthetic10MBench } from './import.bench';

/** `npm run bench -w packages/data`: one JSON object; each benchmark in its own process. */
registerBench('ml100kImport', () => ml100kImportBench());
registerBench('csrMemory10M', () => csrMemoryBench());
registerBench('csrFromMemory10M', () => csrFromMemory10MBench());
// Order matters: synthetic10M leaves the data that csrFromPostgres10M reads.
registerBench('synthetic10M', () => synthetic10MBench());
registerBench('csrFromPostgres10M', () => csrFromPostgres10MBench());

runBenchmarks(__filename);
