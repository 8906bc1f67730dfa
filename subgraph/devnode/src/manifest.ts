/**
 * Reads a built subgraph (`graph build` output: subgraph.yaml with paths relative to it, the WASM files,
 * the ABIs and the schema) into what the runtime needs: data sources, templates, ABIs, start blocks and
 * event handlers with their topic0, indexed flags, topic filters and `receipt: true`.
 *
 * The devnode runs event handlers only. Block handlers, call handlers, file/offchain data sources and
 * subgraph composition make loading fail with a message naming the feature (never a silent divergence).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { encodeAbiParameters, keccak256, toHex, type Abi, type AbiEvent, type AbiParameter } from 'viem';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { typeString } from './host/functions.js';

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');

const EventHandlerSchema = z
  .object({
    event: z.string().min(1),
    handler: z.string().min(1),
    receipt: z.boolean().optional(),
    calls: z.record(z.string(), z.string()).optional(),
    topic1: z.array(z.union([z.string(), z.number()])).optional(),
    topic2: z.array(z.union([z.string(), z.number()])).optional(),
    topic3: z.array(z.union([z.string(), z.number()])).optional(),
  })
  .passthrough();

const MappingSchema = z
  .object({
    kind: z.literal('ethereum/events'),
    apiVersion: z.string(),
    language: z.literal('wasm/assemblyscript'),
    file: z.string(),
    entities: z.array(z.string()).optional(),
    abis: z.array(z.object({ name: z.string(), file: z.string() })).default([]),
    eventHandlers: z.array(EventHandlerSchema).default([]),
    blockHandlers: z.array(z.unknown()).optional(),
    callHandlers: z.array(z.unknown()).optional(),
  })
  .passthrough();

const SourceSchema = z
  .object({
    address: Address.optional(),
    abi: z.string(),
    startBlock: z.number().int().nonnegative().optional(),
    endBlock: z.number().int().nonnegative().optional(),
  })
  .passthrough();

const DataSourceSchema = z
  .object({ kind: z.string(), name: z.string(), network: z.string().optional(), source: SourceSchema, mapping: MappingSchema })
  .passthrough();

const TemplateSchema = z
  .object({ kind: z.string(), name: z.string(), network: z.string().optional(), source: SourceSchema.partial({ abi: true }), mapping: MappingSchema })
  .passthrough();

const ManifestSchema = z
  .object({
    specVersion: z.string(),
    schema: z.object({ file: z.string() }),
    dataSources: z.array(z.unknown()).min(1),
    templates: z.array(z.unknown()).optional(),
    features: z.array(z.string()).optional(),
  })
  .passthrough();

export interface EventHandlerSpec {
  /** the signature as written in the manifest, e.g. `Transfer(indexed address,indexed address,uint256)` */
  signature: string;
  handler: string;
  receipt: boolean;
  topic0: `0x${string}`;
  /** topic1..3 filters (null = any) */
  topicFilters: [Array<`0x${string}`> | null, Array<`0x${string}`> | null, Array<`0x${string}`> | null];
  event: AbiEvent;
}

export interface MappingSpec {
  apiVersion: string;
  wasmFile: string;
  abis: Map<string, Abi>;
  eventHandlers: EventHandlerSpec[];
}

export interface DataSourceSpec {
  name: string;
  network: string;
  /** null for templates */
  address: `0x${string}` | null;
  abi: string;
  startBlock: number;
  endBlock: number | null;
  mapping: MappingSpec;
}

export interface Manifest {
  /** directory holding the built subgraph.yaml */
  dir: string;
  file: string;
  specVersion: string;
  schemaSdl: string;
  network: string;
  dataSources: DataSourceSpec[];
  templates: DataSourceSpec[];
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** `path` may be a build directory or a subgraph.yaml inside one. */
export function resolveManifestPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute) && statSync(absolute).isDirectory()) {
    const candidate = join(absolute, 'subgraph.yaml');
    if (!existsSync(candidate)) throw new ManifestError(`no subgraph.yaml in ${absolute}: pass the output directory of \`graph build\``);
    return candidate;
  }
  if (!existsSync(absolute)) throw new ManifestError(`subgraph manifest not found: ${absolute}`);
  return absolute;
}

function formatZod(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

function eventSignature(event: AbiEvent, withIndexed: boolean): string {
  return `${event.name}(${event.inputs.map((input) => `${withIndexed && input.indexed ? 'indexed ' : ''}${typeString(input)}`).join(',')})`;
}

function topicValue(param: AbiParameter, value: string | number): `0x${string}` {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase() as `0x${string}`;
  try {
    const typed = param.type === 'address' || param.type.startsWith('bytes') ? value : param.type === 'bool' ? value === 'true' || value === 1 : BigInt(value);
    return encodeAbiParameters([param], [typed]);
  } catch {
    throw new ManifestError(`topic filter value \`${value}\` is not a valid ${param.type}`);
  }
}

function loadAbi(dir: string, name: string, file: string): Abi {
  const path = resolve(dir, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ManifestError(`cannot read ABI ${name} from ${path}: ${(error as Error).message}`);
  }
  // Foundry/Hardhat artifacts wrap the ABI
  const abi = Array.isArray(parsed) ? parsed : (parsed as { abi?: unknown }).abi;
  if (!Array.isArray(abi)) throw new ManifestError(`ABI ${name} (${path}) is not a JSON ABI array`);
  return abi as Abi;
}

function parseDataSource(dir: string, raw: unknown, isTemplate: boolean, index: number): DataSourceSpec {
  const where = isTemplate ? `templates[${index}]` : `dataSources[${index}]`;
  const result = (isTemplate ? TemplateSchema : DataSourceSchema).safeParse(raw);
  if (!result.success) {
    const kind = (raw as { kind?: unknown })?.kind;
    if (typeof kind === 'string' && kind !== 'ethereum/contract' && kind !== 'ethereum') {
      throw new ManifestError(`${where}: data source kind \`${kind}\` is not supported by the devnode (only ethereum/contract)`);
    }
    throw new ManifestError(`${where}: ${formatZod(result.error)}`);
  }
  const ds = result.data;
  if (ds.kind !== 'ethereum/contract' && ds.kind !== 'ethereum') {
    throw new ManifestError(`${where} (${ds.name}): data source kind \`${ds.kind}\` is not supported by the devnode (only ethereum/contract)`);
  }
  const mapping = ds.mapping;
  if (mapping.blockHandlers && mapping.blockHandlers.length > 0) {
    throw new ManifestError(`${where} (${ds.name}): blockHandlers are not supported by the devnode (event handlers only)`);
  }
  if (mapping.callHandlers && mapping.callHandlers.length > 0) {
    throw new ManifestError(`${where} (${ds.name}): callHandlers are not supported by the devnode (event handlers only)`);
  }
  const [major, minor, patch] = mapping.apiVersion.split('.').map(Number);
  if ((major ?? 0) === 0 && (minor ?? 0) === 0 && (patch ?? 0) < 7) {
    throw new ManifestError(`${where} (${ds.name}): mapping apiVersion ${mapping.apiVersion} is not supported (the devnode runs apiVersion ≥ 0.0.7)`);
  }
  const abis = new Map<string, Abi>();
  for (const abi of mapping.abis) abis.set(abi.name, loadAbi(dir, abi.name, abi.file));
  const sourceAbiName = ds.source.abi ?? '';
  const sourceAbi = abis.get(sourceAbiName);
  if (!sourceAbi) throw new ManifestError(`${where} (${ds.name}): source ABI \`${sourceAbiName}\` is not listed in mapping.abis`);
  const events = sourceAbi.filter((item): item is AbiEvent => item.type === 'event');

  const eventHandlers = mapping.eventHandlers.map((handler): EventHandlerSpec => {
    if (handler.calls && Object.keys(handler.calls).length > 0) {
      throw new ManifestError(`${where} (${ds.name}): declared eth_calls (eventHandlers[].calls) are not supported by the devnode`);
    }
    const wanted = handler.event.replace(/\s+/g, ' ').replace(/ ?, ?/g, ',').replace(/\( /g, '(').trim();
    const event =
      events.find((e) => eventSignature(e, true) === wanted) ??
      (wanted.includes('indexed') ? undefined : events.find((e) => eventSignature(e, false) === wanted));
    if (!event) {
      throw new ManifestError(`${where} (${ds.name}): event with the signature \`${handler.event}\` not found in ABI \`${sourceAbiName}\``);
    }
    const indexed = event.inputs.filter((input) => input.indexed);
    const filter = (values: Array<string | number> | undefined, position: number) => {
      if (!values) return null;
      const param = indexed[position];
      if (!param) throw new ManifestError(`${where} (${ds.name}): topic${position + 1} filter on \`${handler.event}\`, which has no such indexed parameter`);
      return values.map((v) => topicValue(param, v));
    };
    return {
      signature: handler.event,
      handler: handler.handler,
      receipt: handler.receipt ?? false,
      topic0: keccak256(toHex(eventSignature(event, false))),
      topicFilters: [filter(handler.topic1, 0), filter(handler.topic2, 1), filter(handler.topic3, 2)],
      event,
    };
  });

  const wasmFile = resolve(dir, mapping.file);
  if (!existsSync(wasmFile)) throw new ManifestError(`${where} (${ds.name}): mapping file ${wasmFile} not found: run \`graph build\``);
  if (!isTemplate && !ds.source.address) {
    throw new ManifestError(`${where} (${ds.name}): source.address is required (the devnode does not index every contract of an ABI)`);
  }
  return {
    name: ds.name,
    network: ds.network ?? 'mainnet',
    address: ds.source.address ? (ds.source.address.toLowerCase() as `0x${string}`) : null,
    abi: sourceAbiName,
    startBlock: ds.source.startBlock ?? 0,
    endBlock: ds.source.endBlock ?? null,
    mapping: { apiVersion: mapping.apiVersion, wasmFile, abis, eventHandlers },
  };
}

export function loadManifest(path: string): Manifest {
  const file = resolveManifestPath(path);
  const dir = dirname(file);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ManifestError(`cannot parse ${file}: ${(error as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) throw new ManifestError(`${file}: ${formatZod(parsed.error)}`);
  const manifest = parsed.data;
  if (manifest.features?.includes('grafting') || (raw as { graft?: unknown }).graft) {
    throw new ManifestError('grafting is not supported by the devnode');
  }
  const dataSources = manifest.dataSources.map((ds, i) => parseDataSource(dir, ds, false, i));
  const templates = (manifest.templates ?? []).map((t, i) => parseDataSource(dir, t, true, i));
  const networks = new Set([...dataSources, ...templates].map((ds) => ds.network));
  if (networks.size > 1) throw new ManifestError(`all data sources must use the same network, found: ${[...networks].join(', ')}`);
  const schemaFile = resolve(dir, manifest.schema.file);
  return {
    dir,
    file,
    specVersion: manifest.specVersion,
    schemaSdl: readFileSync(schemaFile, 'utf8'),
    network: dataSources[0]!.network,
    dataSources,
    templates,
  };
}
