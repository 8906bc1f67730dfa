// LOCAL AKASH STAND-INS for the local stack — not Akash. Starts the stand-in node (REST/RPC) with the keeper's
// Akash wallet funded, and one stand-in provider gateway per Akash provider in the keeper's catalog snapshot, each
// running manifests' containers with the provider agent's own runtime (DockerRuntime on a Docker or Podman socket).
//
//   tsx tools/akash-standins.ts      env: DOCKER_HOST (unix://… socket), AKASH_MNEMONIC (the keeper's dev key),
//                                         AKASH_NODE_PORT (optional), DOCKER_ULIMITS (optional, "nofile=1024:1024,…")
// Prints one JSON line `{"event":"ready","nodeUrl":…,"chainId":…,"providers":[…]}` on stdout when serving.
import { z } from 'zod';
import { akashWalletFrom } from '../keeper/src/akash/wallet.ts';
import { createCatalog } from '../keeper/src/catalog/index.ts';
import { startStandinGateway, type StandinGateway } from '../keeper/standins/akash/gateway.ts';
import { startStandinNode } from '../keeper/standins/akash/node.ts';
import { DockerRuntime } from '../provider/src/runtime/docker.ts';

const envSchema = z.object({
  DOCKER_HOST: z.string().min(1),
  AKASH_MNEMONIC: z.string().min(1),
  AKASH_NODE_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  DOCKER_ULIMITS: z
    .string()
    .default('nofile=1024:1024,nproc=4096:4096')
    .transform((s) =>
      s
        .split(',')
        .filter(Boolean)
        .map((u) => {
          const m = /^([a-z]+)=(\d+):(\d+)$/.exec(u.trim());
          if (!m) throw new Error(`DOCKER_ULIMITS: "${u}" is not name=soft:hard`);
          return { name: m[1]!, soft: Number(m[2]), hard: Number(m[3]) };
        }),
    ),
});

async function main(): Promise<void> {
  const env = envSchema.parse(process.env);
  const wallet = await akashWalletFrom(env.AKASH_MNEMONIC);
  const node = await startStandinNode({
    accounts: [{ address: wallet.address, balances: [{ denom: 'uakt', amount: '100000000000' }, { denom: 'uact', amount: '100000000000' }] }],
    bidDelayMs: 500,
    port: env.AKASH_NODE_PORT,
  });
  const runtime = new DockerRuntime({ socket: env.DOCKER_HOST, ulimits: env.DOCKER_ULIMITS });
  // The providers the keeper can route to (its recorded Akash snapshot), each played by a stand-in gateway.
  const candidates = (await createCatalog({ subgraphUrl: '', live: false, ttlMs: 1, timeoutMs: 1 }).lookup()).candidates.filter(
    (c) => c.market === 'akash',
  );
  const byProvider = new Map<string, Set<string>>();
  for (const c of candidates) byProvider.set(c.externalId, (byProvider.get(c.externalId) ?? new Set()).add(c.gpuModel));
  const gateways: StandinGateway[] = [];
  for (const [provider, models] of byProvider) {
    const gateway = await startStandinGateway({ node, provider, runtime, gpus: 0 });
    node.addProvider({ address: provider, hostUri: gateway.url, gpuModels: [...models], priceFraction: 0.8, bids: true });
    gateways.push(gateway);
  }
  const shutdown = async () => {
    for (const g of gateways) await g.close().catch(() => undefined);
    await node.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  process.stdout.write(
    `${JSON.stringify({ event: 'ready', nodeUrl: node.url, chainId: node.chainId, keeperAddress: wallet.address, providers: gateways.map((g) => ({ provider: g.provider, url: g.url })) })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`akash stand-ins did not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
