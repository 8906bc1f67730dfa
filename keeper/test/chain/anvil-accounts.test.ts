// The local stack deploys with these accounts (keeper, settlement account, demo wallets): each listed address must
// be the one its key controls, or the stack would name roles and payouts for an account nobody holds.
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { ANVIL_ACCOUNTS } from '../../../tools/lib.mjs';

describe("the stack's anvil accounts", () => {
  it('lists ten accounts', () => {
    expect(ANVIL_ACCOUNTS).toHaveLength(10);
  });
  it.each(ANVIL_ACCOUNTS.map((a, i) => [i, a.address, a.privateKey] as const))('account #%i %s is its key\'s address', (_i, address, key) => {
    expect(privateKeyToAccount(key as `0x${string}`).address).toBe(address);
  });
});
