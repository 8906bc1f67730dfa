// Regions as the dApp shows them: provider registration and offers (selects), the submit form's allow-list, quote
// and route display, and filters. The list and the other spellings' rules are the keeper's (one source,
// @necto/keeper/domain), so what a person picks is exactly the keeper's routing vocabulary.

import { REGION_ALIASES, REGIONS, type Region } from '@necto/keeper/domain';

export { REGIONS, type Region };

const BY_ID = new Map(REGIONS.map((r) => [r.id, r]));

/** The region id for any spelling ("ap-northeast", "Frankfurt, DE", "us-east-1"); null when none fits. */
export function regionId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = raw.toLowerCase().trim().replace(/[\s_,]+/g, '-');
  if (BY_ID.has(s)) return s;
  if (s === 'ap-southeast-2') return 'oceania';
  for (const [re, id] of REGION_ALIASES) if (re.test(s)) return id;
  return null;
}

/** The name to show for a stored or quoted region; an unknown one is shown as it is. */
export function regionName(raw: string | null | undefined): string {
  if (!raw) return '—';
  const id = regionId(raw);
  return id ? BY_ID.get(id)!.name : raw;
}

/** Whether a value is one of the canonical ids (what the forms store). */
export const isRegionId = (value: string): boolean => BY_ID.has(value);
