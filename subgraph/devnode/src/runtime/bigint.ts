/**
 * graph-ts `BigInt` is a `Uint8Array` holding the number in signed little-endian two's complement, the
 * shortest such encoding (num-bigint `to_signed_bytes_le`; zero is one 0x00 byte).
 */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bigIntFromSignedLE(bytes: Uint8Array): bigint {
  const length = bytes.length;
  if (length === 0) return 0n;
  if (length <= 6) {
    let value = 0;
    for (let i = length - 1; i >= 0; i--) value = value * 256 + (bytes[i] as number);
    if ((bytes[length - 1] as number) & 0x80) value -= 2 ** (8 * length);
    return BigInt(value);
  }
  let hex = '0x';
  for (let i = length - 1; i >= 0; i--) hex += HEX[bytes[i] as number];
  const unsigned = BigInt(hex);
  return (bytes[length - 1] as number) & 0x80 ? unsigned - (1n << BigInt(8 * length)) : unsigned;
}

export function bigIntToSignedLE(value: bigint): Uint8Array {
  if (value >= -0x800000000000n && value <= 0x7fffffffffffn) return smallToSignedLE(Number(value));
  let byteLength: number;
  let unsigned: bigint;
  if (value >= 0n) {
    const hex = value.toString(16);
    byteLength = Math.ceil(hex.length / 2);
    // a set top bit would read back as negative: add a 0x00 byte
    if (hex.length % 2 === 0 && parseInt(hex[0] as string, 16) >= 8) byteLength += 1;
    unsigned = value;
  } else {
    const magnitudeMinusOne = (-value - 1n).toString(16);
    byteLength = Math.ceil(magnitudeMinusOne.length / 2);
    if (magnitudeMinusOne.length % 2 === 0 && parseInt(magnitudeMinusOne[0] as string, 16) >= 8) byteLength += 1;
    unsigned = (1n << BigInt(8 * byteLength)) + value;
  }
  const hex = unsigned.toString(16).padStart(byteLength * 2, '0');
  const out = new Uint8Array(byteLength);
  for (let i = 0; i < byteLength; i++) {
    const at = hex.length - 2 * (i + 1);
    out[i] = parseInt(hex.slice(at, at + 2), 16);
  }
  return out;
}

function smallToSignedLE(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  // emit bytes until what is left is just the sign of the last byte
  for (;;) {
    const byte = ((rest % 256) + 256) % 256;
    bytes.push(byte);
    rest = (rest - byte) / 256;
    if ((rest === 0 && byte < 128) || (rest === -1 && byte >= 128)) break;
  }
  return new Uint8Array(bytes);
}

export function bitLength(magnitude: bigint): number {
  if (magnitude === 0n) return 0;
  const hex = magnitude.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0] as string, 16)));
}

export function bytesToHex(bytes: Uint8Array): `0x${string}` {
  let hex = '0x';
  for (let i = 0; i < bytes.length; i++) hex += HEX[bytes[i] as number];
  return hex as `0x${string}`;
}

export function hexToBytes(hex: string): Uint8Array {
  const body = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (body.length % 2 !== 0 || /[^0-9a-fA-F]/.test(body)) throw new Error(`invalid hex string: ${hex}`);
  return Uint8Array.from(Buffer.from(body, 'hex'));
}
