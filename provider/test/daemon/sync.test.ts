// `sync` against a real deployment: the first run registers and lists, a second run sends nothing, a changed
// config sends exactly the changes (reprice, capacity, deactivate, list), and the plan is what the chain needs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providerRegistryAbi } from '@necto/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_KEYS, startDeployedAnvil, type DeployedAnvil } from '../../../keeper/test/chain/anvil.js';
import { createChainClients } from '../../src/chain/clients.js';
import { planSync, ProviderStatus, readOffers, readProfile, syncRegistry } from '../../src/chain/registry.js';
import { resolveConfig, type ProviderConfig } from '../../src/config/load.js';
import type { ProviderConfigInput } from '../../src/config/schema.js';

const h100 = { gpuModel: 'h100', gpuCount: 8, vramGb: 80, vcpu: 96, ramGb: 1024, region: 'eu-west', pricePerGpuHour: 2_100_000, units: 2 };
const a100 = { gpuModel: 'a100', gpuCount: 1, vramGb: 80, vcpu: 12, ramGb: 128, region: 'eu-west', pricePerGpuHour: 1_200_000, units: 4 };

describe('necto-provider sync', () => {
  let anvil: DeployedAnvil;
  let dir: string;
  const configFor = (patch: Partial<ProviderConfigInput>): ProviderConfig =>
    resolveConfig(
      {
        chain: { rpcUrl: anvil.url, chainId: 31337 },
        keeperUrl: 'http://127.0.0.1:1',
        profile: { name: 'Rack 7', region: 'eu-west' },
        offers: [h100, a100],
        stateDir: dir,
        ...patch,
      },
      { env: { PROVIDER_PRIVATE_KEY: ANVIL_KEYS[3] }, deployment: anvil.deployment },
    );
  const clientsOf = (cfg: ProviderConfig) => createChainClients({ rpcUrl: cfg.chain.rpcUrl, chainId: cfg.chain.chainId, privateKey: cfg.privateKey, pollingIntervalMs: 50 });
  const nonce = (cfg: ProviderConfig) => clientsOf(cfg).publicClient.getTransactionCount({ address: cfg.address });

  beforeAll(async () => {
    anvil = await startDeployedAnvil();
    dir = mkdtempSync(join(tmpdir(), 'necto-provider-sync-'));
  }, 120_000);
  afterAll(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('registers and lists the offers, then a second run sends no transaction', async () => {
    const cfg = configFor({});
    const clients = clientsOf(cfg);
    const first = await syncRegistry(clients, cfg);
    expect(first.actions.map((a) => a.kind)).toEqual(['register', 'list', 'list']);
    expect(first.transactions).toBe(3);

    const registry = cfg.deployment.contracts.ProviderRegistry;
    const profile = await readProfile(clients, registry, cfg.address, 0n);
    expect(profile).toMatchObject({ status: ProviderStatus.Active, name: 'Rack 7', region: 'eu-west', payout: cfg.address });
    const offers = await readOffers(clients, registry, cfg.address, 0n);
    expect(offers.map((o) => [o.gpuModel, o.pricePerGpuHour, o.availableUnits, o.active])).toEqual([
      ['h100', 2_100_000n, 2, true],
      ['a100', 1_200_000n, 4, true],
    ]);

    const before = await nonce(cfg);
    const second = await syncRegistry(clients, cfg);
    expect(second).toEqual({ actions: [], transactions: 0 });
    expect(await nonce(cfg)).toBe(before);
  });

  it('sends exactly the changes: reprice, capacity, profile, deactivate the removed offer, list the new one', async () => {
    const l40s = { gpuModel: 'l40s', gpuCount: 4, vramGb: 48, vcpu: 48, ramGb: 384, region: 'eu-west', pricePerGpuHour: 900_000, units: 1 };
    const cfg = configFor({ profile: { name: 'Rack 7b', region: 'eu-west' }, offers: [{ ...h100, pricePerGpuHour: 1_900_000, units: 1 }, l40s] });
    const clients = clientsOf(cfg);
    const before = await nonce(cfg);
    const result = await syncRegistry(clients, cfg);
    expect(result.actions.map((a) => a.kind)).toEqual(['update', 'reprice', 'capacity', 'list', 'deactivate']);
    expect(await nonce(cfg)).toBe(before + 5);

    const registry = cfg.deployment.contracts.ProviderRegistry;
    const offers = await readOffers(clients, registry, cfg.address, 0n);
    expect(offers.map((o) => [o.gpuModel, o.pricePerGpuHour, o.availableUnits, o.active])).toEqual([
      ['h100', 1_900_000n, 1, true],
      ['a100', 1_200_000n, 4, false],
      ['l40s', 900_000n, 1, true],
    ]);
    expect(await syncRegistry(clients, cfg)).toEqual({ actions: [], transactions: 0 });

    // Putting the a100 back reactivates the same offer id instead of listing a new one.
    const back = configFor({ profile: { name: 'Rack 7b', region: 'eu-west' }, offers: [{ ...h100, pricePerGpuHour: 1_900_000, units: 1 }, l40s, a100] });
    const again = await syncRegistry(clients, back);
    expect(again.actions).toEqual([{ kind: 'activate', offerId: offers[1]!.offerId }]);
    const count = await clients.publicClient.readContract({ address: registry, abi: providerRegistryAbi, functionName: 'offerCount' });
    expect(count).toBe(3n);
  });

  it('pauses and resumes by config, and refuses a suspended provider', () => {
    const cfg = configFor({ profile: { name: 'Rack 7b', region: 'eu-west', paused: true }, offers: [] });
    const profile = { status: ProviderStatus.Active, payout: cfg.address, name: 'Rack 7b', metadataURI: '', region: 'eu-west' };
    expect(planSync(cfg, profile, [])).toEqual([{ kind: 'pause' }]);
    expect(planSync(configFor({ profile: { name: 'Rack 7b', region: 'eu-west' }, offers: [] }), { ...profile, status: ProviderStatus.Paused }, [])).toEqual([{ kind: 'resume' }]);
    expect(() => planSync(cfg, { ...profile, status: ProviderStatus.Suspended }, [])).toThrow(/suspended/);
  });

  it('aims capacity at the configured units less those held by live jobs, so a sync mid-job changes nothing', () => {
    const cfg = configFor({ offers: [h100] });
    const profile = { status: ProviderStatus.Active, payout: cfg.address, name: 'Rack 7', metadataURI: '', region: 'eu-west' };
    const onchain = { offerId: 7n, ...h100, pricePerGpuHour: 2_100_000n, active: true };
    // One of the two units is taken by a routed job: the chain says 1 free, which is what the config means.
    expect(planSync(cfg, profile, [{ ...onchain, availableUnits: 1 }], new Map([[7n, 1]]))).toEqual([]);
    // Without the held unit the same chain state would be "fixed" back to 2, freeing the running job's unit.
    expect(planSync(cfg, profile, [{ ...onchain, availableUnits: 1 }])).toEqual([{ kind: 'capacity', offerId: 7n, from: 1, to: 2 }]);
    // More held than configured (units lowered while jobs run): no negative capacity.
    expect(planSync(configFor({ offers: [{ ...h100, units: 1 }] }), profile, [{ ...onchain, availableUnits: 0 }], new Map([[7n, 2]]))).toEqual([]);
  });
});
