import { parseUsdc } from '../../lib/format';

export const PERIODS = [
  { label: 'Day', seconds: 86_400 },
  { label: 'Week', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
] as const;

/** A cap form: empty or 0 cap = no cap; otherwise a USDC amount and a period. */
export function parseCap(capText: string, periodSeconds: number): { cap: bigint; period: number } | { error: string } {
  const text = capText.trim();
  if (text === '' || text === '0') return { cap: 0n, period: periodSeconds };
  const cap = parseUsdc(text);
  if (cap === null) return { error: 'Cap must be a USDC amount, e.g. 5000' };
  if (cap >= 2n ** 128n) return { error: 'Cap is too large' };
  if (periodSeconds <= 0) return { error: 'A cap needs a period' };
  return { cap, period: periodSeconds };
}
