/**
 * graph-ts `BigInt` is a `Uint8Array` holding the number in signed little-endian two's complement, the
 * shortest such encoding (num-bigint `to_signed_bytes_le`; zero is one 0x00 byte).
 */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const HEX_VALUE = new Uint8Array(128);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

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
  return (bytes[length - 1] as number) & 0x80 ? BigInt.asIntN(8 * length, unsigned) : unsigned;
}

export function bigIntToSignedLE(value: bigint): Uint8Array {
  if (value >= -0x800000000000n && value <= 0x7fffffffffffn) return smallToSignedLE(Number(value));
  // shortest two's complement: bits of the magnitude (|v| - 1 when negative) plus a sign bit, in whole bytes
  const negative = value < 0n;
  let hex = (negative ? -value - 1n : value).toString(16);
  const bits = (hex.length - 1) * 4 + (32 - Math.clz32(HEX_VALUE[hex.charCodeAt(0)] as number));
  const byteLength = (bits >> 3) + 1;
  if (negative) hex = BigInt.asUintN(8 * byteLength, value).toString(16);
  const out = new Uint8Array(byteLength);
  // two hex digits per byte from the least significant end; missing leading digits are zeros
  let at = hex.length;
  for (let i = 0; i < byteLength && at > 0; i++) {
    const low = HEX_VALUE[hex.charCodeAt(--at)] as number;
    const high = at > 0 ? (HEX_VALUE[hex.charCodeAt(--at)] as number) : 0;
    out[i] = (high << 4) | low;
  }
  return out;
}

/** |value| < 2^47: exact in float arithmetic; `& 0xff` is the two's complement low byte. */
function smallToSignedLE(value: number): Uint8Array {
  let length = 1;
  for (let rest = value; ; length++) {
    const byte = rest & 0xff;
    rest = Math.floor(rest / 256);
    if ((rest === 0 && byte < 128) || (rest === -1 && byte >= 128)) break;
  }
  const out = new Uint8Array(length);
  for (let i = 0, rest = value; i < length; i++, rest = Math.floor(rest / 256)) out[i] = rest & 0xff;
  return out;
}

export function bitLength(magnitude: bigint): number {
  if (magnitude === 0n) return 0;
  const hex = magnitude.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0] as string, 16)));
}
