// Opt-in tests against the Akash sandbox (real chain, real providers). Skipped unless these are set:
//   AKASH_SANDBOX_REST      the sandbox node's REST (grpc-gateway) URL
//   AKASH_SANDBOX_MNEMONIC  a funded sandbox account
//   AKASH_SANDBOX_CHAIN_ID  default sandbox-01
// They create one small deployment, read its bids, and close it again.
import { fromHex } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';
import { createChainClient } from '../../src/akash/chain-client.js';
import { closeDeploymentMsg, createDeploymentMsg } from '../../src/akash/messages.js';
import { manifestOf, validateSdl } from '../../src/akash/sdl.js';
import { akashWalletFrom } from '../../src/akash/wallet.js';

const REST = process.env.AKASH_SANDBOX_REST;
const MNEMONIC = process.env.AKASH_SANDBOX_MNEMONIC;
const CHAIN_ID = process.env.AKASH_SANDBOX_CHAIN_ID ?? 'sandbox-01';
const DENOM = process.env.AKASH_SANDBOX_DENOM ?? 'uakt';

const SDL = `
version: "2.0"
services:
  job:
    image: busybox:1.36
    args: ["sh", "-c", "echo necto sandbox; sleep 60"]
profiles:
  compute:
    job:
      resources:
        cpu: { units: 0.1 }
        memory: { size: 64Mi }
        storage: { size: 128Mi }
  placement:
    necto:
      pricing:
        job: { denom: ${DENOM}, amount: 1000 }
deployment:
  job:
    necto: { profile: job, count: 1 }
`;

describe.skipIf(!REST || !MNEMONIC)('Akash sandbox (live, opt-in)', () => {
  it('creates a deployment signed here, lists its bids, and closes it', async () => {
    const wallet = await akashWalletFrom(MNEMONIC!);
    const chain = createChainClient({ rest: REST!, chainId: CHAIN_ID, feeDenom: 'uakt' });
    const dseq = await chain.latestHeight();
    const { groupSpecs } = manifestOf(SDL);
    const hash = fromHex((await validateSdl(SDL)).slice(2));
    await chain.sendTx(wallet, [createDeploymentMsg({ owner: wallet.address, dseq, groupSpecs, hash, deposit: { denom: DENOM, amount: '5000000' } })], 'necto live test');
    const onchain = await chain.deployment(wallet.address, dseq);
    expect(onchain?.state).toBe('active');
    expect(Buffer.from(onchain!.hash).toString('hex')).toBe(Buffer.from(hash).toString('hex'));
    await new Promise((r) => setTimeout(r, 20_000));
    const bids = await chain.bids(wallet.address, dseq);
    expect(Array.isArray(bids)).toBe(true);
    await chain.sendTx(wallet, [closeDeploymentMsg({ owner: wallet.address, dseq })], 'necto live test');
    expect((await chain.deployment(wallet.address, dseq))?.state).toBe('closed');
  }, 120_000);
});
