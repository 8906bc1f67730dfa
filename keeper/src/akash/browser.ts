// What a browser wallet needs to sign a Necto job's Akash deployment itself (Keplr): the same message builders,
// signer, node client and manifest functions the managed-wallet deployer uses. No node:* import reaches here.
export { DEPOSIT_SOURCE, AKASH_MAINNET_CHAIN_ID, AKASH_PREFIX, createDeploymentMsg, createLeaseMsg, closeDeploymentMsg, signTx, verifyTxRaw } from './messages.js';
export type { BidId, Coin } from './messages.js';
export { AkashChainError, createChainClient } from './chain-client.js';
export type { AkashChainClient, BidView, LeaseView } from './chain-client.js';
export { manifestJson, manifestOf, manifestVersionOf, SERVICE } from './sdl.js';
export type { OfflineDirectSigner } from '@cosmjs/proto-signing';
export { signGatewayToken } from './gateway-token.js';
export type { GatewayScope } from './gateway-token.js';
