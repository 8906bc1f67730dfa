// The one place the dApp imports ABIs from the generated package (@necto/contracts).
export { jobMarketAbi, providerRegistryAbi, teamRegistryAbi } from '@necto/contracts';

/** The USDC ABI: MockUSDC's (ERC-20 + EIP-2612, the same interface a real USDC offers). */
export { mockUSDCAbi as usdcAbi } from '@necto/contracts';
