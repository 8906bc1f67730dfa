export {
  CONSTRAINT_ORDER,
  COST_ONLY_WEIGHTS,
  DEFAULT_WEIGHTS,
  ENGINE_VERSION,
  checkCandidate,
  countExcludedOffers,
  costOf,
  formatUsdc,
  replay,
  route,
  summariseExclusions,
} from './engine.js';
export type { CostQuote, RouteResult } from './engine.js';
