import { jobMarketAbi, usdcAbi, providerRegistryAbi, teamRegistryAbi } from './abis';
import { errorAbiOf } from '../lib/errors';

/**
 * Every custom error any Necto call can revert with. A JobMarket call can bubble up a TeamRegistry or token error
 * whose selector is not in the JobMarket ABI, so revert data is decoded against all of them.
 */
export const NECTO_ERROR_ABI = errorAbiOf(jobMarketAbi, providerRegistryAbi, teamRegistryAbi, usdcAbi);
