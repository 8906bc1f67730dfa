import { BigInt, Bytes } from '@graphprotocol/graph-ts';
import { USDC_UNIT } from './constants';

/** `12500000` → `12.50`, `1234567` → `1.234567`: USDC base units as a decimal with 2 to 6 decimals. */
export function formatUsdc(amount: BigInt): string {
  let whole = amount.div(USDC_UNIT).toString();
  let fraction = amount.mod(USDC_UNIT).toString();
  while (fraction.length < 6) fraction = '0' + fraction;
  let end = 6;
  while (end > 2 && fraction.charAt(end - 1) == '0') end--;
  return whole + '.' + fraction.slice(0, end);
}

/** `0x1234…abcd`. */
export function shortAddress(address: Bytes): string {
  let hex = address.toHexString();
  return hex.slice(0, 6) + '…' + hex.slice(hex.length - 4);
}

/** 5400 → `1h 30m`, 90 → `1m 30s`. */
export function formatDuration(seconds: BigInt): string {
  let s = seconds.toI64();
  let days = s / 86400;
  let hours = (s % 86400) / 3600;
  let minutes = (s % 3600) / 60;
  let rest = s % 60;
  let parts: string[] = [];
  if (days > 0) parts.push(days.toString() + 'd');
  if (hours > 0) parts.push(hours.toString() + 'h');
  if (minutes > 0) parts.push(minutes.toString() + 'm');
  if (rest > 0 || parts.length == 0) parts.push(rest.toString() + 's');
  return parts.join(' ');
}
