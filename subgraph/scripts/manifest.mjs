#!/usr/bin/env node
// Writes subgraph.yaml for one network from subgraph.template.yaml and the deployment file written by the deploy
// script (contracts/deployments/<chainId>.json). Addresses and the start block come only from that file; ABIs only
// from the generated contracts package (contracts/generated/abis). Also checks that the template has a handler for
// every event of every ABI (and none for an event the ABI lacks), so a new contract event cannot go unindexed.
//
// Usage: node scripts/manifest.mjs [--network local|adi-testnet|base-sepolia|<chainId>] [--deployment <file>]
//                                  [--out <file>] [--abis generated|interfaces]
// Env:   NETWORK, DEPLOYMENT, MANIFEST_OUT, ABI_SOURCE (same meaning; flags win). Default network: local.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const subgraphDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(subgraphDir, '..');

/** Our network names → chain id and the network name graph-node knows the chain by. */
export const NETWORKS = {
  local: { chainId: 31337, graphNetwork: 'anvil' },
  'adi-testnet': { chainId: 99999, graphNetwork: 'adi-testnet' },
  'base-sepolia': { chainId: 84532, graphNetwork: 'base-sepolia' },
};
const ALIASES = { anvil: 'local', '31337': 'local', '99999': 'adi-testnet', '84532': 'base-sepolia' };

/** The contracts the subgraph indexes, in manifest order. */
export const DATA_SOURCES = ['JobMarket', 'ProviderRegistry', 'TeamRegistry'];

/** Canonical event signature as graph-cli writes it in a manifest: `Name(indexed uint256,(uint8,string)[])`. */
export function eventSignature(event) {
  const type = (input) =>
    input.type.startsWith('tuple')
      ? `(${input.components.map(type).join(',')})${input.type.slice('tuple'.length)}`
      : input.type;
  return `${event.name}(${event.inputs.map((i) => (i.indexed ? 'indexed ' : '') + type(i)).join(',')})`;
}

function fail(message) {
  console.error(`manifest: ${message}`);
  process.exit(1);
}

function abiPath(name, source) {
  if (source === 'generated') return join(root, 'contracts/generated/abis', `${name}.json`);
  if (source === 'interfaces') return join(root, 'out', `I${name}.sol`, `I${name}.json`);
  return fail(`unknown ABI source "${source}" (generated | interfaces)`);
}

function loadAbi(file) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  return Array.isArray(json) ? json : json.abi;
}

export function writeManifest({ network = 'local', deployment, out, abis = 'generated' } = {}) {
  const networkKey = ALIASES[network] ?? network;
  const net = NETWORKS[networkKey];
  if (!net) fail(`unknown network "${network}" (known: ${Object.keys(NETWORKS).join(', ')})`);

  const deploymentFile = resolve(deployment ?? join(root, 'contracts/deployments', `${net.chainId}.json`));
  if (!existsSync(deploymentFile)) {
    fail(`no deployment for ${networkKey} (chain ${net.chainId}): ${relative(process.cwd(), deploymentFile)} is missing. Deploy first (contracts/script/Deploy.s.sol).`);
  }
  const d = JSON.parse(readFileSync(deploymentFile, 'utf8'));
  if (Number(d.chainId) !== net.chainId) fail(`${deploymentFile} is for chain ${d.chainId}, not ${net.chainId} (${networkKey})`);
  const startBlock = Number(d.startBlock);
  if (!Number.isSafeInteger(startBlock) || startBlock < 0) fail(`${deploymentFile}: invalid startBlock ${d.startBlock}`);

  const outFile = resolve(out ?? join(subgraphDir, 'subgraph.yaml'));
  const values = { network: net.graphNetwork, startBlock: String(startBlock) };
  const template = readFileSync(join(subgraphDir, 'subgraph.template.yaml'), 'utf8');
  const problems = [];

  for (const name of DATA_SOURCES) {
    const address = d.contracts?.[name];
    if (!/^0x[0-9a-fA-F]{40}$/.test(address ?? '')) problems.push(`${deploymentFile}: contracts.${name} is not an address (${address})`);
    values[`${name}.address`] = String(address).toLowerCase();

    const file = abiPath(name, abis);
    if (!existsSync(file)) {
      problems.push(`ABI ${relative(root, file)} is missing (${abis === 'generated' ? 'run `node tools/forge.mjs build && node tools/gen-contracts-package.mjs` at the root' : 'run `node tools/forge.mjs build`'})`);
      continue;
    }
    values[`abi.${name}`] = relative(dirname(outFile), file);

    // Every ABI event must have exactly one handler in this data source, and every handler an ABI event.
    const section = template.split(/\n  - kind: /).find((s) => new RegExp(`\\n    name: ${name}\\n`).test(s)) ?? '';
    const handled = [...section.matchAll(/- event: (.+)\n\s+handler: (\w+)/g)].map((m) => m[1].trim());
    const events = loadAbi(file).filter((e) => e.type === 'event').map(eventSignature);
    for (const e of events) if (!handled.includes(e)) problems.push(`${name}: event ${e} has no handler in subgraph.template.yaml`);
    for (const h of handled) if (!events.includes(h)) problems.push(`${name}: handler for ${h}, which the ABI does not have`);
  }
  if (problems.length) fail(`cannot write the manifest:\n  - ${problems.join('\n  - ')}`);

  const manifest = template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, key) => {
    if (!(key in values)) fail(`template placeholder {{${key}}} has no value`);
    return values[key];
  });
  writeFileSync(
    outFile,
    `# Generated by scripts/manifest.mjs from subgraph.template.yaml and ${relative(dirname(outFile), deploymentFile)}. Do not edit.\n` +
      manifest,
  );
  if (abis !== 'generated') console.warn(`manifest: WARNING using ${abis} ABIs — a manifest for deployment must use the generated ones`);
  console.log(`manifest: ${relative(process.cwd(), outFile) || outFile} for ${net.graphNetwork} (chain ${net.chainId}, start block ${startBlock})`);
  return { file: outFile, network: net.graphNetwork, chainId: net.chainId, startBlock, addresses: d.contracts };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      network: { type: 'string' },
      deployment: { type: 'string' },
      out: { type: 'string' },
      abis: { type: 'string' },
    },
  });
  writeManifest({
    network: values.network ?? process.env.NETWORK ?? 'local',
    deployment: values.deployment ?? process.env.DEPLOYMENT,
    out: values.out ?? process.env.MANIFEST_OUT,
    abis: values.abis ?? process.env.ABI_SOURCE ?? 'generated',
  });
}
