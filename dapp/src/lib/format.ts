// Formatting of on-chain amounts and times for display. USDC has 6 decimals everywhere in Necto.
export const USDC_DECIMALS = 6;
const USDC_UNIT = 10n ** BigInt(USDC_DECIMALS);

/** Parses a user-typed USDC amount ("12.5", "1,000") into base units; null when it is not a valid amount. */
export function parseUsdc(input: string): bigint | null {
  const text = input.trim().replace(/,/g, '');
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(text)) return null;
  const [whole = '0', fraction = ''] = text.split('.');
  if (fraction.length > USDC_DECIMALS) return null;
  return BigInt(whole || '0') * USDC_UNIT + BigInt(fraction.padEnd(USDC_DECIMALS, '0') || '0');
}

/**
 * Formats USDC base units: thousands separators, at least 2 and at most `maxDecimals` decimals (default 2, or 6
 * for a non-zero amount under a cent), trailing zeros trimmed beyond the cents. Rounds half up at `maxDecimals`.
 */
export function formatUsdc(amount: bigint | string | number, options: { maxDecimals?: number; symbol?: boolean } = {}): string {
  let value = BigInt(amount);
  // Sub-cent amounts (a job that ran for seconds) keep their precision instead of showing as 0.00.
  const subCent = value !== 0n && (value < 0n ? -value : value) < 10_000n;
  const maxDecimals = Math.min(options.maxDecimals ?? (subCent ? USDC_DECIMALS : 2), USDC_DECIMALS);
  const negative = value < 0n;
  if (negative) value = -value;
  const step = 10n ** BigInt(USDC_DECIMALS - maxDecimals);
  value = ((value + step / 2n) / step) * step;
  const whole = value / USDC_UNIT;
  const fraction = (value % USDC_UNIT).toString().padStart(USDC_DECIMALS, '0').slice(0, maxDecimals);
  let trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length < 2 && maxDecimals >= 2) trimmed = trimmed.padEnd(2, '0');
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${negative ? '-' : ''}${wholeText}${trimmed ? `.${trimmed}` : ''}`;
  return options.symbol === false ? text : `${text} USDC`;
}

/** A price per GPU-hour in USDC base units, e.g. "$1.85/GPU·h". Keeps up to 4 decimals for cheap GPUs. */
export function formatPricePerGpuHour(pricePerGpuHour: bigint | string | number): string {
  return `$${formatUsdc(pricePerGpuHour, { maxDecimals: 4, symbol: false })}/GPU·h`;
}

/** Budget escrowed for a job: max price × GPUs × duration, rounded up to the next base unit (as the contract). */
export function requiredBudget(maxPricePerGpuHour: bigint, gpuCount: number, durationSeconds: number): bigint {
  const numerator = maxPricePerGpuHour * BigInt(gpuCount) * BigInt(durationSeconds);
  return (numerator + 3599n) / 3600n;
}

/** 0x1234…abcd */
export function shortAddress(address: string, chars = 4): string {
  if (!/^0x[0-9a-fA-F]+$/.test(address) || address.length <= 2 + chars * 2) return address;
  return `${address.slice(0, 2 + chars)}…${address.slice(-chars)}`;
}

/** 3600 → "1 h", 5400 → "1 h 30 min", 90 → "1 min 30 s" */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s && !d && !h) parts.push(`${s} s`);
  return parts.length ? parts.join(' ') : '0 s';
}

/** Seconds since an event, as "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(ageSeconds: number): string {
  if (!Number.isFinite(ageSeconds)) return '—';
  const s = Math.max(0, Math.round(ageSeconds));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** A unix timestamp (seconds) as a short UTC date-time. */
export function formatTimestamp(unixSeconds: number | bigint | string): string {
  const ms = Number(unixSeconds) * 1000;
  if (!Number.isFinite(ms) || ms <= 0) return '—';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** A day id (unix day number, as the subgraph's daily aggregates) → "Nov 24". */
export function formatDay(dayId: number): string {
  return new Date(dayId * 86400 * 1000).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** A short USD label for chart axes and bars: "$0", "$0.00054", "$2.50", "$1,250". */
export function formatUsdShort(value: number): string {
  if (!Number.isFinite(value) || value === 0) return '$0';
  const abs = Math.abs(value);
  if (abs < 0.01) return `$${Number(value.toPrecision(2))}`;
  if (abs < 10) return `$${value.toFixed(2)}`;
  return `$${Math.round(value).toLocaleString('en-US')}`;
}
