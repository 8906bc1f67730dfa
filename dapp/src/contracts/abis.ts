// The one place the dApp imports ABIs from the generated package (@necto/contracts).
import * as generated from '@necto/contracts';

export { jobMarketAbi, providerRegistryAbi, teamRegistryAbi } from '@necto/contracts';

type Generated = typeof generated;
type UsdcAbi = Generated extends { mockUsdcAbi: infer A } ? A : Generated extends { mockUSDCAbi: infer B } ? B : never;

/** MockUSDC's ABI (the generator has spelled it `mockUsdcAbi` and `mockUSDCAbi`; either works). */
export const usdcAbi = ((generated as Record<string, unknown>).mockUsdcAbi ?? (generated as Record<string, unknown>).mockUSDCAbi) as UsdcAbi;
