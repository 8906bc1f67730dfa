/**
 * The devnode's one pair of hex helpers (chain data, store encoding, entity ids, GraphQL values). Below every other
 * module: it imports nothing.
 */

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_BODY = /^[0-9a-fA-F]*$/;

export class HexError extends Error {
  constructor(
    readonly input: string,
    /** Rust's `hex::FromHexError` wording, which graph-node reports ("Odd number of digits", "Invalid character …"). */
    readonly reason: string,
  ) {
    super(`invalid hex string ${JSON.stringify(input)}: ${reason}`);
    this.name = 'HexError';
  }
}

/** Lowercase `0x`-prefixed hex of `bytes`. */
export function bytesToHex(bytes: Uint8Array): `0x${string}` {
  let hex = '0x';
  for (let i = 0; i < bytes.length; i++) hex += HEX[bytes[i] as number];
  return hex as `0x${string}`;
}

/**
 * The bytes of a hex string, with or without `0x`/`0X`. Strict, like Rust's `hex::decode` that graph-node uses: an odd
 * number of digits or a non-hex character throws `HexError` (nothing is padded).
 */
export function hexToBytes(hex: string): Uint8Array {
  const body = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (body.length % 2 !== 0) throw new HexError(hex, 'Odd number of digits');
  if (!HEX_BODY.test(body)) {
    const at = [...body].findIndex((c) => !HEX_BODY.test(c));
    throw new HexError(hex, `Invalid character '${[...body][at]}' at position ${at}`);
  }
  return Uint8Array.from(Buffer.from(body, 'hex'));
}
