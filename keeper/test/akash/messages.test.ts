import { fromHex } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';
import {
  accountDepositMsg,
  closeDeploymentMsg,
  createDeploymentMsg,
  createLeaseMsg,
  decodeTx,
  signTx,
  TYPE_URL,
  TxVerifyError,
  verifyTxRaw,
} from '../../src/akash/messages.js';
import { JwtError, claimsAllow, verifyGatewayJwt } from '../../src/akash/jwt.js';
import { manifestOf, validateSdl } from '../../src/akash/sdl.js';
import { akashWalletFrom } from '../../src/akash/wallet.js';

// A public test mnemonic (cosmjs's documentation wallet); it holds nothing on any chain.
const MNEMONIC = 'surround miss nominee dream gap cross assault thank captain prosper drop duty group candy wealth weather scale put';
const SDL = `
version: "2.0"
services:
  job:
    image: necto/demo:1
    args: ["sh", "-c", "echo hi"]
profiles:
  compute:
    job:
      resources:
        cpu: { units: 1 }
        memory: { size: 1Gi }
        storage: { size: 1Gi }
        gpu: { units: 1, attributes: { vendor: { nvidia: [ { model: a100 } ] } } }
  placement:
    necto:
      pricing:
        job: { denom: uact, amount: 100 }
deployment:
  job:
    necto: { profile: job, count: 1 }
`;
// Provider addresses only need the bech32 shape here.
const PROV = 'akash1' + 'q'.repeat(38);
const OTHER = 'akash1' + 'p'.repeat(38);
const fee = { amount: [{ denom: 'uakt', amount: '5000' }], gas: '200000' };
const ctx = { chainId: 'akashnet-2', accountNumber: 7, sequence: 3 };

describe('Akash messages', () => {
  it('signs all four messages offline; the TxRaw decodes to them and verifies for akashnet-2', async () => {
    const w = await akashWalletFrom(MNEMONIC);
    expect(w.address).toMatch(/^akash1[0-9a-z]{38}$/);
    const { groupSpecs } = manifestOf(SDL);
    const hash = fromHex((await validateSdl(SDL)).slice(2));
    const msgs = [
      createDeploymentMsg({ owner: w.address, dseq: 123n, groupSpecs, hash, deposit: { denom: 'uact', amount: '5000000' } }),
      createLeaseMsg({ owner: w.address, dseq: '123', gseq: 1, oseq: 1, provider: PROV, bseq: 0 }),
      accountDepositMsg({ signer: w.address, owner: w.address, dseq: 123n, amount: { denom: 'uact', amount: '1000000' } }),
      closeDeploymentMsg({ owner: w.address, dseq: 123n }),
    ];
    const bytes = await signTx(w.direct, w.address, msgs, fee, 'necto job 1 round 1', ctx);
    const tx = await verifyTxRaw(bytes, 'akashnet-2', 7);
    expect(tx.signer).toBe(w.address);
    expect(tx.sequence).toBe(3n);
    expect(tx.memo).toBe('necto job 1 round 1');
    expect(tx.fee.gasLimit).toBe(200000n);
    expect(tx.messages.map((m) => m.typeUrl)).toEqual([
      '/akash.deployment.v1beta4.MsgCreateDeployment',
      '/akash.market.v1beta5.MsgCreateLease',
      '/akash.escrow.v1.MsgAccountDeposit',
      '/akash.deployment.v1beta4.MsgCloseDeployment',
    ]);
    expect(TYPE_URL.createLease).toBe('/akash.market.v1beta5.MsgCreateLease');
    const create = tx.messages[0]!.value as any;
    expect(create.id.owner).toBe(w.address);
    expect(create.id.dseq.toString()).toBe('123');
    expect(Buffer.from(create.hash).toString('hex')).toBe(Buffer.from(hash).toString('hex'));
    expect(create.deposit.amount).toEqual({ denom: 'uact', amount: '5000000' });
    expect(create.groups[0].resources[0].price).toEqual({ denom: 'uact', amount: '100' });
    const dep = tx.messages[2]!.value as any;
    expect(dep.id).toEqual({ scope: 1, xid: `${w.address}/123` });
  });

  it('fails verification for another chain id, another account number or a tampered body', async () => {
    const w = await akashWalletFrom(MNEMONIC);
    const bytes = await signTx(w.direct, w.address, [closeDeploymentMsg({ owner: w.address, dseq: 9n })], fee, '', ctx);
    await expect(verifyTxRaw(bytes, 'sandbox-01', 7)).rejects.toThrow(TxVerifyError);
    await expect(verifyTxRaw(bytes, 'akashnet-2', 8)).rejects.toThrow(TxVerifyError);
    const decoded = decodeTx(bytes);
    expect(decoded.signer).toBe(w.address);
    const tampered = new Uint8Array(bytes);
    const i = Buffer.from(tampered).indexOf(Buffer.from(w.address));
    tampered[i + 10] = tampered[i + 10] === 0x71 ? 0x70 : 0x71;
    await expect(verifyTxRaw(tampered, 'akashnet-2', 7)).rejects.toThrow(TxVerifyError);
    await expect(verifyTxRaw(new Uint8Array([1, 2, 3]), 'akashnet-2', 7)).rejects.toThrow(TxVerifyError);
  });

  it('signs the same key from a hex private key', async () => {
    const w = await akashWalletFrom(`0x${'11'.repeat(32)}`);
    const bytes = await signTx(w.direct, w.address, [closeDeploymentMsg({ owner: w.address, dseq: 1n })], fee, '', ctx);
    expect((await verifyTxRaw(bytes, 'akashnet-2', 7)).signer).toBe(w.address);
    expect(JSON.stringify(w)).not.toMatch(/11111111/);
  });
});

describe('provider gateway JWT (ES256KADR36)', () => {
  it("chain-sdk's token verifies against the issuer's key and is scoped to one provider and deployment", async () => {
    const w = await akashWalletFrom(MNEMONIC);
    const [acct] = await w.direct.getAccounts();
    const keys = (a: string) => (a === w.address ? acct!.pubkey : null);
    const now = Math.floor(Date.now() / 1000);
    const token = await w.gatewayToken({ provider: PROV, dseq: 55n, scope: ['send-manifest', 'status'], nowSec: now });
    const claims = await verifyGatewayJwt(token, keys, now + 10);
    expect(claims.iss).toBe(w.address);
    expect(claimsAllow(claims, PROV, 55n, 'send-manifest')).toBe(true);
    expect(claimsAllow(claims, PROV, 55n, 'shell')).toBe(false);
    expect(claimsAllow(claims, OTHER, 55n, 'status')).toBe(false);
    expect(claimsAllow(claims, PROV, 56n, 'status')).toBe(false);
    await expect(verifyGatewayJwt(token, keys, now + 121)).rejects.toThrow(/expired/);
    const other = await akashWalletFrom(`0x${'22'.repeat(32)}`);
    const [otherAcct] = await other.direct.getAccounts();
    await expect(verifyGatewayJwt(token, () => otherAcct!.pubkey, now)).rejects.toThrow(JwtError);
    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(Buffer.from(p!, 'base64url').toString().replace('"dseq":55', '"dseq":56')).toString('base64url')}.${s}`;
    await expect(verifyGatewayJwt(forged, keys, now)).rejects.toThrow(/bad signature/);
  });
});
