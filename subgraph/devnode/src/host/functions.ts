/**
 * graph-node's host exports (`runtime/wasm/src/module/instance.rs` names), implemented over `HostState`.
 * Every function reads its arguments from the current trigger's WASM heap and allocates its result there.
 * Deterministic failures throw `HostError` with graph-node's message, which fails the handler.
 */
import { decodeAbiParameters, encodeAbiParameters, encodeFunctionData, keccak256, parseAbiParameters, type AbiFunction, type AbiParameter } from 'viem';
import type { EntityTypeInfo } from '../schema/index.js';
import type { Entity, Value } from '../store/api.js';
import { HostError } from '../runtime/asc.js';
import { bytesToHex, hexToBytes } from '../hex.js';
import * as Dec from '../runtime/bigdecimal.js';
import { abiToEth, ethToAbi, ethToAbiSelf, newEthValue, newEthValueArray, parameterOf, readEthValue, type EthValue } from '../runtime/ethereum.js';
import { JsonSyntaxError, parseJson } from '../runtime/json.js';
import type { HostFunction, HostFunctionResolver } from '../runtime/module.js';
import { TypeId } from '../runtime/type-ids.js';
import { newBigDecimal, newBigInt, newJson, readBigDecimal, readBigInt } from '../runtime/values.js';
import { newEntity, readEntity } from './entities.js';
import { currentTrigger, type HostState, type LogLevel } from './context.js';
import { RpcCallError } from './sync-rpc.js';


/** Host functions graph-node links but the devnode refuses (non-deterministic or removed upstream). */
export const UNSUPPORTED_FUNCTIONS = [
  'ipfs.cat',
  'ipfs.map',
  'ipfs.getBlock',
  'ens.nameByHash',
  'arweave.transactionData',
  'box.profile',
  'yaml.fromBytes',
  'yaml.try_fromBytes',
] as const;

export function unsupported(name: string): HostFunction {
  return () => {
    throw new HostError(
      `Host function \`${name}\` is not supported by the devnode (only deterministic host functions are implemented; ipfs, ens, arweave, box and yaml are not). This subgraph cannot be indexed by the devnode.`,
    );
  };
}

const LOG_LEVELS: LogLevel[] = ['critical', 'error', 'warning', 'info', 'debug'];
const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const utf8Lossy = new TextDecoder('utf-8');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function base58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  let value = 0n;
  for (const byte of bytes) value = value * 256n + BigInt(byte);
  let out = '';
  while (value > 0n) {
    out = BASE58_ALPHABET[Number(value % 58n)] + out;
    value /= 58n;
  }
  return '1'.repeat(zeros) + out;
}

/** num-bigint `FromStr`: optional sign, decimal digits, `_` separators after the first digit. */
function parseBigIntText(text: string): bigint | null {
  const match = /^([+-]?)([0-9][0-9_]*)$/.exec(text);
  if (!match) return null;
  const magnitude = BigInt(match[2]!.replace(/_/g, ''));
  return match[1] === '-' ? -magnitude : magnitude;
}

function debugValue(value: Value): string {
  switch (value.kind) {
    case 'String':
      return `String(${JSON.stringify(value.value)})`;
    case 'Bytes':
      return `Bytes(${bytesToHex(value.value)})`;
    case 'Null':
      return 'Null';
    case 'List':
      return `List([${value.value.map(debugValue).join(', ')}])`;
    default:
      return `${value.kind}(${String(value.value)})`;
  }
}

function storeTypeName(value: Value): string {
  return value.kind === 'BigDecimal' || value.kind === 'BigInt' || value.kind === 'Bytes' || value.kind === 'Int8' || value.kind === 'Timestamp'
    ? value.kind
    : value.kind === 'Bool'
      ? 'Boolean'
      : value.kind === 'List'
        ? '[]'
        : value.kind;
}

export function createHostFunctions(state: HostState): Record<string, HostFunction> {
  const heap = () => currentTrigger(state).heap;

  function entityType(name: string, op: string): EntityTypeInfo {
    const info = state.schema.entities.get(name);
    if (info) return info;
    if (state.schema.interfaces.has(name)) {
      throw new HostError(`Cannot ${op} entity of type \`${name}\`. The type must be an @entity type`);
    }
    throw new HostError(`Entity type \`${name}\` is not present in the subgraph's schema`);
  }

  /** Ids of Bytes-keyed types are hex strings; graph-node parses them, so case does not matter. */
  function entityId(info: EntityTypeInfo, id: string): string {
    if (info.idType === 'Bytes') {
      if (!/^(0x)?([0-9a-fA-F]{2})*$/.test(id)) throw new HostError(`Invalid Bytes id \`${id}\` for entity type \`${info.name}\``);
      return (id.startsWith('0x') ? id : `0x${id}`).toLowerCase();
    }
    if (info.idType === 'Int8' && !/^-?[0-9]+$/.test(id)) throw new HostError(`Invalid Int8 id \`${id}\` for entity type \`${info.name}\``);
    return id;
  }

  function idValue(info: EntityTypeInfo, id: string): Value {
    if (info.idType === 'Bytes') return { kind: 'Bytes', value: hexToBytes(id) };
    if (info.idType === 'Int8') return { kind: 'Int8', value: BigInt(id) };
    return { kind: 'String', value: id };
  }

  function sameId(info: EntityTypeInfo, value: Value, id: string): boolean {
    if (info.idType === 'Bytes') return value.kind === 'Bytes' && bytesToHex(value.value) === id;
    if (info.idType === 'Int8') return value.kind === 'Int8' && value.value.toString() === id;
    return value.kind === 'String' && value.value === id;
  }

  function storeCall<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof HostError) throw error;
      throw new HostError(error instanceof Error ? error.message : String(error));
    }
  }

  function validateRequired(info: EntityTypeInfo, id: string, data: Entity): void {
    // store.set merges onto the current version: only look it up when `data` lacks a required field
    let current: Entity | null | undefined;
    for (const field of info.fields) {
      if (!field.nonNull || field.derivedFrom !== undefined) continue;
      let value = data.get(field.name);
      if (value === undefined) {
        if (current === undefined) current = state.store.get(info.name, id);
        value = current?.get(field.name);
      }
      if (value === undefined || value.kind === 'Null') {
        throw new HostError(`Entity ${info.name}[${id}]: missing value for non-nullable field \`${field.name}\``);
      }
    }
  }

  function readDecimalArgs(x: number, y: number): [Dec.Decimal, Dec.Decimal] {
    return [readBigDecimal(heap(), x), readBigDecimal(heap(), y)];
  }

  function rpc() {
    if (!state.rpc) throw new HostError('ethereum calls need an RPC endpoint');
    return state.rpc;
  }

  function blockTag(): string {
    return `0x${currentTrigger(state).blockNumber.toString(16)}`;
  }

  function findFunction(abi: readonly unknown[], contract: string, name: string, signature: string | null): AbiFunction {
    const candidates = (abi as Array<{ type?: string; name?: string }>).filter(
      (item): item is AbiFunction => item.type === 'function' && item.name === name,
    );
    const canonical = (fn: AbiFunction) => `${fn.name}(${fn.inputs.map(typeString).join(',')})`;
    const withOutputs = (fn: AbiFunction) => `${canonical(fn)}:(${fn.outputs.map(typeString).join(',')})`;
    const found = signature ? candidates.find((fn) => canonical(fn) === signature || withOutputs(fn) === signature) : candidates[0];
    if (!found) {
      throw new HostError(`Unknown function "${contract}::${name}" with signature \`${signature ?? ''}\` called from WASM runtime`);
    }
    return found;
  }

  const functions: Record<string, HostFunction> = {
    // ---- abort / log -------------------------------------------------------------------------------
    abort: (messagePtr, filePtr, line, column) => {
      const h = heap();
      const message = messagePtr ? h.readString(messagePtr) : null;
      const file = filePtr ? h.readString(filePtr) : null;
      const location = file === null ? 'an unknown location' : `${file}, line ${line}, column ${column}`;
      throw new HostError(`Mapping aborted at ${location}, with ${message === null ? 'no message' : `message: ${message}`}`);
    },
    'log.log': (level, messagePtr) => {
      const message = heap().readString(messagePtr);
      const trigger = currentTrigger(state);
      const levelName = LOG_LEVELS[level] ?? 'info';
      state.log(levelName, message, { data_source: trigger.dataSource.name, handler: trigger.handler, block: Number(trigger.blockNumber) });
      if (level === 0) throw new HostError(`Critical error logged in mapping with log message: ${message}`);
    },

    // ---- store -------------------------------------------------------------------------------------
    'store.get': (typePtr, idPtr) => {
      const h = heap();
      const info = entityType(h.readString(typePtr), 'get');
      const entity = storeCall(() => state.store.get(info.name, entityId(info, h.readString(idPtr))));
      return entity ? newEntity(h, entity) : 0;
    },
    'store.get_in_block': (typePtr, idPtr) => {
      const h = heap();
      const info = entityType(h.readString(typePtr), 'get');
      const entity = storeCall(() => state.store.getInBlock(info.name, entityId(info, h.readString(idPtr))));
      return entity ? newEntity(h, entity) : 0;
    },
    'store.loadRelated': (typePtr, idPtr, fieldPtr) => {
      const h = heap();
      const info = entityType(h.readString(typePtr), 'get');
      const id = entityId(info, h.readString(idPtr));
      const field = h.readString(fieldPtr);
      const entities = storeCall(() => state.store.loadRelated(info.name, id, field));
      return h.newArrayU32(
        entities.map((e) => newEntity(h, e)),
        TypeId.ArrayTypedMapStringStoreValue,
      );
    },
    'store.set': (typePtr, idPtr, dataPtr) => {
      const h = heap();
      const info = entityType(h.readString(typePtr), 'set');
      const id = entityId(info, h.readString(idPtr));
      const data = readEntity(h, dataPtr);
      const given = data.get('id');
      if (given === undefined) {
        data.set('id', idValue(info, id));
      } else if (!sameId(info, given, id)) {
        if (storeTypeName(given) !== info.idType) {
          throw new HostError(`Attribute \`${info.name}.id\` has wrong type: expected ${info.idType} but got ${storeTypeName(given)}`);
        }
        throw new HostError(
          `Value of ${info.name} attribute 'id' conflicts with ID passed to \`store.set()\`: ${debugValue(given)} != ${debugValue(idValue(info, id))}`,
        );
      }
      const undefinedFields = [...data.keys()].filter((key) => !info.fieldMap.has(key)).sort();
      if (undefinedFields.length > 0) {
        throw new HostError(
          `Attempted to set undefined fields [${undefinedFields.join(', ')}] for the entity type \`${info.name}\`. Make sure those fields are defined in the schema.`,
        );
      }
      validateRequired(info, id, data);
      storeCall(() => state.store.set(info.name, id, data));
    },
    'store.remove': (typePtr, idPtr) => {
      const h = heap();
      const info = entityType(h.readString(typePtr), 'remove');
      const id = entityId(info, h.readString(idPtr));
      storeCall(() => state.store.remove(info.name, id));
    },

    // ---- typeConversion ----------------------------------------------------------------------------
    'typeConversion.bytesToString': (ptr) => {
      const h = heap();
      const text = utf8Lossy.decode(h.readBytes(ptr)).replace(/\u0000+$/, '');
      return h.newString(text);
    },
    'typeConversion.bytesToHex': (ptr) => heap().newString(bytesToHex(heap().readBytes(ptr))),
    'typeConversion.bigIntToString': (ptr) => heap().newString(readBigInt(heap(), ptr).toString()),
    'typeConversion.bigIntToHex': (ptr) => {
      const value = readBigInt(heap(), ptr);
      // the magnitude, like graph-node (`to_bytes_be().1`): no sign, no leading zeros
      return heap().newString(`0x${(value < 0n ? -value : value).toString(16)}`);
    },
    'typeConversion.stringToH160': (ptr) => {
      const h = heap();
      const text = h.readString(ptr);
      const body = text.startsWith('0x') ? text.slice(2) : text;
      if (!/^[0-9a-fA-F]{40}$/.test(body)) throw new HostError(`Failed to convert string to Address: '${text}'`);
      return h.newBytes(hexToBytes(body));
    },
    'typeConversion.bytesToBase58': (ptr) => heap().newString(base58(heap().readBytes(ptr))),

    // ---- crypto ------------------------------------------------------------------------------------
    'crypto.keccak256': (ptr) => heap().newBytes(keccak256(heap().readBytes(ptr), 'bytes')),

    // ---- bigInt ------------------------------------------------------------------------------------
    'bigInt.plus': (x, y) => newBigInt(heap(), readBigInt(heap(), x) + readBigInt(heap(), y)),
    'bigInt.minus': (x, y) => newBigInt(heap(), readBigInt(heap(), x) - readBigInt(heap(), y)),
    'bigInt.times': (x, y) => newBigInt(heap(), readBigInt(heap(), x) * readBigInt(heap(), y)),
    'bigInt.dividedBy': (x, y) => {
      const a = readBigInt(heap(), x);
      const b = readBigInt(heap(), y);
      if (b === 0n) throw new HostError(`attempted to divide BigInt \`${a}\` by zero`);
      return newBigInt(heap(), a / b);
    },
    'bigInt.dividedByDecimal': (x, y) => {
      const a = Dec.fromBigInt(readBigInt(heap(), x));
      const b = readBigDecimal(heap(), y);
      if (Dec.isZero(b)) throw new HostError(`attempted to divide BigDecimal \`${Dec.toString(a)}\` by zero`);
      return newBigDecimal(heap(), Dec.div(a, b));
    },
    'bigInt.mod': (x, y) => {
      const a = readBigInt(heap(), x);
      const b = readBigInt(heap(), y);
      if (b === 0n) throw new HostError(`attempted to calculate the remainder of \`${a}\` with a divisor of zero`);
      return newBigInt(heap(), a % b);
    },
    'bigInt.pow': (x, exp) => newBigInt(heap(), readBigInt(heap(), x) ** BigInt(exp & 0xff)),
    'bigInt.fromString': (ptr) => {
      const text = heap().readString(ptr);
      const value = parseBigIntText(text);
      if (value === null) throw new HostError(`string is not a BigInt: \`${text}\``);
      return newBigInt(heap(), value);
    },
    'bigInt.bitOr': (x, y) => newBigInt(heap(), readBigInt(heap(), x) | readBigInt(heap(), y)),
    'bigInt.bitAnd': (x, y) => newBigInt(heap(), readBigInt(heap(), x) & readBigInt(heap(), y)),
    'bigInt.leftShift': (x, bits) => newBigInt(heap(), readBigInt(heap(), x) << BigInt(bits & 0xff)),
    'bigInt.rightShift': (x, bits) => newBigInt(heap(), readBigInt(heap(), x) >> BigInt(bits & 0xff)),

    // ---- bigDecimal --------------------------------------------------------------------------------
    'bigDecimal.plus': (x, y) => newBigDecimal(heap(), Dec.add(...readDecimalArgs(x, y))),
    'bigDecimal.minus': (x, y) => newBigDecimal(heap(), Dec.sub(...readDecimalArgs(x, y))),
    'bigDecimal.times': (x, y) => newBigDecimal(heap(), Dec.mul(...readDecimalArgs(x, y))),
    'bigDecimal.dividedBy': (x, y) => {
      const [a, b] = readDecimalArgs(x, y);
      if (Dec.isZero(b)) throw new HostError(`attempted to divide BigDecimal \`${Dec.toString(a)}\` by zero`);
      return newBigDecimal(heap(), Dec.div(a, b));
    },
    'bigDecimal.equals': (x, y) => (Dec.equals(...readDecimalArgs(x, y)) ? 1 : 0),
    'bigDecimal.toString': (ptr) => heap().newString(Dec.toString(readBigDecimal(heap(), ptr))),
    'bigDecimal.fromString': (ptr) => {
      const text = heap().readString(ptr);
      const value = Dec.parse(text);
      if (value === null) throw new HostError(`string  is not a BigDecimal: '${text}'`);
      return newBigDecimal(heap(), value);
    },

    // ---- json --------------------------------------------------------------------------------------
    'json.fromBytes': (ptr) => {
      const h = heap();
      return newJson(h, parseJsonBytes(h.readBytes(ptr)));
    },
    'json.try_fromBytes': (ptr) => {
      const h = heap();
      let parsed;
      try {
        parsed = parseJsonBytes(h.readBytes(ptr));
      } catch (error) {
        if (!(error instanceof HostError)) throw error;
        state.log('warning', 'Failed to parse JSON from byte array', { error: error.message });
        return h.newObject(TypeId.ResultJsonValueBool, [0, h.newWrappedBool(true)]);
      }
      const wrapped = h.newObject(TypeId.WrappedJsonValue, [newJson(h, parsed)]);
      return h.newObject(TypeId.ResultJsonValueBool, [wrapped, 0]);
    },
    'json.toI64': (ptr) => {
      const text = heap().readString(ptr);
      const value = /^[+-]?[0-9]+$/.test(text) ? BigInt(text) : null;
      if (value === null || value !== BigInt.asIntN(64, value)) throw new HostError(`JSON \`${text}\` cannot be parsed as i64`);
      return value;
    },
    'json.toU64': (ptr) => {
      const text = heap().readString(ptr);
      const value = /^\+?[0-9]+$/.test(text) ? BigInt(text) : null;
      if (value === null || value !== BigInt.asUintN(64, value)) throw new HostError(`JSON \`${text}\` cannot be parsed as u64`);
      return BigInt.asIntN(64, value);
    },
    'json.toF64': (ptr) => {
      const text = heap().readString(ptr);
      if (!/^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)$/i.test(text)) {
        throw new HostError(`JSON \`${text}\` cannot be parsed as f64`);
      }
      const lower = text.toLowerCase().replace(/^\+/, '');
      if (lower === 'inf' || lower === 'infinity') return Infinity;
      if (lower === '-inf' || lower === '-infinity') return -Infinity;
      if (lower.endsWith('nan')) return NaN;
      return Number(text);
    },
    'json.toBigInt': (ptr) => {
      const text = heap().readString(ptr);
      const value = parseBigIntText(text);
      if (value === null) throw new HostError(`JSON \`${text}\` is not a decimal string`);
      return newBigInt(heap(), value);
    },

    // ---- ethereum ----------------------------------------------------------------------------------
    'ethereum.encode': (ptr) => {
      const h = heap();
      const value = readEthValue(h, ptr);
      try {
        return h.newBytes(hexToBytes(encodeAbiParameters([parameterOf(value)], [ethToAbiSelf(value)])));
      } catch {
        return 0;
      }
    },
    'ethereum.decode': (typesPtr, dataPtr) => {
      const h = heap();
      const types = h.readString(typesPtr);
      const data = h.readBytes(dataPtr);
      let decoded: EthValue;
      try {
        const params = parseAbiParameters(types) as readonly AbiParameter[];
        if (params.length !== 1) return 0;
        const param = params[0]!;
        decoded = abiToEth(param, decodeAbiParameters([param], data)[0]);
      } catch {
        return 0;
      }
      return newEthValue(h, decoded);
    },
    'ethereum.call': (callPtr) => {
      const h = heap();
      const trigger = currentTrigger(state);
      const contractName = h.readString(h.field(callPtr, 0));
      const address = h.readBytes(h.field(callPtr, 1));
      const functionName = h.readString(h.field(callPtr, 2));
      const signature = h.readNullableString(h.field(callPtr, 3));
      const args = h.readArrayU32(h.field(callPtr, 4)).map((p) => readEthValue(h, p));
      const abi = trigger.dataSource.abis.get(contractName);
      if (!abi) {
        throw new HostError(`Could not find ABI for contract "${contractName}", try adding it to the 'abis' section of the subgraph manifest`);
      }
      const fn = findFunction(abi, contractName, functionName, signature);
      let data: `0x${string}`;
      try {
        data = encodeFunctionData({
          abi: [fn],
          functionName: fn.name,
          args: fn.inputs.map((input, i) => ethToAbi(input, args[i] ?? missingArgument(fn, i))),
        });
      } catch (error) {
        throw new HostError(`Failed to encode call to ${contractName}::${functionName}: ${(error as Error).message}`);
      }
      let result: string;
      try {
        result = rpc().call('eth_call', [{ to: bytesToHex(address), data }, blockTag()]) as string;
      } catch (error) {
        if (error instanceof RpcCallError && isRevert(error)) return 0;
        throw new HostError(`Ethereum node could not execute ${contractName}::${functionName}: ${(error as Error).message}`, false);
      }
      if (fn.outputs.length > 0 && (result === '0x' || result === '')) return 0;
      let outputs: readonly unknown[];
      try {
        outputs = decodeAbiParameters(fn.outputs, result as `0x${string}`);
      } catch {
        return 0;
      }
      return newEthValueArray(
        h,
        fn.outputs.map((param, i) => abiToEth(param, outputs[i])),
      );
    },
    'ethereum.getBalance': (ptr) => {
      const address = bytesToHex(heap().readBytes(ptr));
      const balance = BigInt(rpc().call('eth_getBalance', [address, blockTag()]) as string);
      return newBigInt(heap(), balance);
    },
    'ethereum.hasCode': (ptr) => {
      const address = bytesToHex(heap().readBytes(ptr));
      const code = rpc().call('eth_getCode', [address, blockTag()]) as string;
      const h = heap();
      return h.newWrappedBool(code !== '0x' && code !== '');
    },

    // ---- dataSource --------------------------------------------------------------------------------
    'dataSource.address': () => heap().newBytes(currentTrigger(state).dataSource.address),
    'dataSource.network': () => heap().newString(currentTrigger(state).dataSource.network),
    'dataSource.context': () => newEntity(heap(), currentTrigger(state).dataSource.context ?? new Map()),
    'dataSource.create': (namePtr, paramsPtr) => {
      createDataSource(heap().readString(namePtr), heap().readStringArray(paramsPtr), null);
    },
    'dataSource.createWithContext': (namePtr, paramsPtr, contextPtr) => {
      createDataSource(heap().readString(namePtr), heap().readStringArray(paramsPtr), readEntity(heap(), contextPtr));
    },

    gas: () => undefined,
  };

  function createDataSource(name: string, params: string[], context: Entity | null): void {
    const trigger = currentTrigger(state);
    if (!state.templates.includes(name)) {
      throw new HostError(
        `Failed to create data source from name \`${name}\`: No template with this name in parent data source \`${trigger.dataSource.name}\`. Available names: ${state.templates.join(', ')}.`,
      );
    }
    const address = params[0] ?? '';
    if (!/^(0x)?[0-9a-fA-F]{40}$/.test(address)) throw new HostError(`Invalid contract address: ${address}`);
    state.log('info', 'Create data source', { name, params: params.join(',') });
    state.created.push({ template: name, address: (address.startsWith('0x') ? address : `0x${address}`).toLowerCase() as `0x${string}`, context });
  }

  for (const name of UNSUPPORTED_FUNCTIONS) functions[name] = unsupported(name);
  return functions;
}

/** Links a mapping's imports to the host functions over `state`; an unknown name fails when called. */
export function hostFunctionResolver(state: HostState): HostFunctionResolver {
  const functions = createHostFunctions(state);
  return (name) => functions[name] ?? unsupported(name);
}

function missingArgument(fn: AbiFunction, index: number): never {
  throw new HostError(`Missing argument ${index} for function ${fn.name}`);
}

function isRevert(error: RpcCallError): boolean {
  return error.code === 3 || /revert|invalid opcode|out of gas|execution/i.test(error.message);
}

function parseJsonBytes(bytes: Uint8Array) {
  if (bytes.length > 10_000_000) throw new HostError('JSON size exceeds max size of 10000000');
  let text: string;
  try {
    text = utf8Strict.decode(bytes);
  } catch {
    throw new HostError('invalid unicode code point');
  }
  try {
    return parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new HostError(error.message);
    throw error;
  }
}

/** `uint256`, `(address,uint256)[]`… as they appear in canonical signatures. */
function typeString(param: AbiParameter): string {
  if (param.type.startsWith('tuple')) {
    const components = (param as AbiParameter & { components: readonly AbiParameter[] }).components;
    return `(${components.map(typeString).join(',')})${param.type.slice('tuple'.length)}`;
  }
  return param.type;
}

export { typeString };
