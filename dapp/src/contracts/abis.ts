// The one place the dApp imports ABIs from the generated package (@necto/contracts).
export { jobMarketAbi, providerRegistryAbi, teamRegistryAbi, mockUSDCAbi as usdcAbi } from '@necto/contracts';
