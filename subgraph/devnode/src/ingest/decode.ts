/** Event log → handler parameters, decoded like graph-node (indexed dynamic values arrive as their hash). */
import { decodeAbiParameters, type AbiEvent, type AbiParameter } from 'viem';
import { hexToBytes } from '../runtime/bigint.js';
import { abiToEth, type EthValue } from '../runtime/ethereum.js';

function isDynamic(param: AbiParameter): boolean {
  return param.type === 'string' || param.type === 'bytes' || param.type.endsWith(']') || param.type.startsWith('tuple');
}

export function decodeEventParams(event: AbiEvent, topics: readonly string[], data: string): Array<{ name: string; value: EthValue }> {
  const nonIndexed = event.inputs.filter((input) => !input.indexed);
  const decoded = nonIndexed.length > 0 ? decodeAbiParameters(nonIndexed, data as `0x${string}`) : [];
  let topicAt = 1;
  let dataAt = 0;
  return event.inputs.map((input, i) => {
    const name = input.name ?? `param${i}`;
    if (input.indexed) {
      const topic = topics[topicAt++];
      if (topic === undefined) throw new Error(`log has too few topics for event ${event.name}`);
      if (isDynamic(input)) return { name, value: { kind: 'fixedBytes', value: hexToBytes(topic) } };
      return { name, value: abiToEth(input, decodeAbiParameters([input], topic as `0x${string}`)[0]) };
    }
    return { name, value: abiToEth(input, decoded[dataAt++]) };
  });
}
