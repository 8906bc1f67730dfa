/** Event log → handler parameters, decoded like graph-node (indexed dynamic values arrive as their hash). */
import { decodeAbiParameters, type AbiEvent, type AbiParameter } from 'viem';
import { hexToBytes } from '../hex.js';
import { abiToEth, type EthValue } from '../runtime/ethereum.js';

function isDynamic(param: AbiParameter): boolean {
  return param.type === 'string' || param.type === 'bytes' || param.type.endsWith(']') || param.type.startsWith('tuple');
}

/** Decoder of one 32-byte word (64 hex digits) for a static elementary type, or null for anything else. */
type WordDecoder = (word: string) => EthValue;

function wordDecoder(param: AbiParameter): WordDecoder | null {
  const type = param.type;
  if (type === 'address') return (word) => ({ kind: 'address', value: hexToBytes(word.slice(24)) });
  if (type === 'bool') {
    return (word) => {
      const n = BigInt(`0x${word}`);
      if (n > 1n) throw new Error(`invalid boolean value 0x${word}`);
      return { kind: 'bool', value: n === 1n };
    };
  }
  let m = /^uint(\d*)$/.exec(type);
  if (m) return (word) => ({ kind: 'uint', value: BigInt(`0x${word}`) });
  m = /^int(\d*)$/.exec(type);
  if (m) return (word) => ({ kind: 'int', value: BigInt.asIntN(256, BigInt(`0x${word}`)) });
  m = /^bytes(\d+)$/.exec(type);
  if (m) {
    const size = Number(m[1]);
    return (word) => ({ kind: 'fixedBytes', value: hexToBytes(word.slice(0, 2 * size)) });
  }
  return null;
}

interface Plan {
  nonIndexed: AbiParameter[];
  /** per input: decoder of its topic (indexed) or data word (non-indexed, when every one is static) */
  decoders: Array<WordDecoder | null>;
  /** every non-indexed input is a static elementary type: decode data words directly */
  staticData: boolean;
}

const plans = new WeakMap<AbiEvent, Plan>();

function planFor(event: AbiEvent): Plan {
  let plan = plans.get(event);
  if (!plan) {
    const nonIndexed = event.inputs.filter((input) => !input.indexed);
    const decoders = event.inputs.map((input) => (input.indexed && isDynamic(input) ? null : wordDecoder(input)));
    const staticData = event.inputs.every((input, i) => input.indexed || decoders[i] !== null);
    plan = { nonIndexed, decoders, staticData };
    plans.set(event, plan);
  }
  return plan;
}

export function decodeEventParams(event: AbiEvent, topics: readonly string[], data: string): Array<{ name: string; value: EthValue }> {
  const { nonIndexed, decoders, staticData } = planFor(event);
  let decoded: readonly unknown[] = [];
  if (staticData) {
    if (data.length < 2 + 64 * nonIndexed.length) {
      throw new Error(`data of ${(data.length - 2) / 2} bytes is too small for ${nonIndexed.length} static parameters`);
    }
  } else if (nonIndexed.length > 0) {
    decoded = decodeAbiParameters(nonIndexed, data as `0x${string}`);
  }
  let topicAt = 1;
  let dataAt = 0;
  return event.inputs.map((input, i) => {
    const name = input.name ?? `param${i}`;
    const decoder = decoders[i];
    if (input.indexed) {
      const topic = topics[topicAt++];
      if (topic === undefined) throw new Error(`log has too few topics for event ${event.name}`);
      if (isDynamic(input)) return { name, value: { kind: 'fixedBytes', value: hexToBytes(topic) } };
      if (decoder) return { name, value: decoder(topic.slice(2)) };
      return { name, value: abiToEth(input, decodeAbiParameters([input], topic as `0x${string}`)[0]) };
    }
    if (staticData) {
      const at = 2 + 64 * dataAt++;
      return { name, value: decoder!(data.slice(at, at + 64)) };
    }
    return { name, value: abiToEth(input, decoded[dataAt++]) };
  });
}
