/**
 * `pnpm --filter @necto/keeper bench`: keeper benchmarks, one `name: value` line each.
 * Add further figures (e.g. submit-to-commit) as modules next to route.ts and call them here.
 */
import { benchRoute, printRouteBench } from './route.js';

printRouteBench(benchRoute());
