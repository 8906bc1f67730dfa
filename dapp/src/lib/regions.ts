// The one list of regions Necto speaks of: provider registration and offers (selects), the submit form's
// allow-list, quote and route display, and filters all use these ids and names. Free of imports, so the keeper and
// the demo seed can use it too. The ids are the keeper's routing vocabulary (canonicalRegion in the catalog).

export interface Region {
  /** Stored on-chain and sent to the keeper, e.g. "eu-central". */
  id: string;
  /** What a person reads, e.g. "Europe Central (Frankfurt)". */
  name: string;
}

export const REGIONS: readonly Region[] = [
  { id: 'us-east', name: 'US East (Virginia)' },
  { id: 'us-central', name: 'US Central (Texas)' },
  { id: 'us-west', name: 'US West (Oregon)' },
  { id: 'ca-central', name: 'Canada (Montréal)' },
  { id: 'sa-east', name: 'South America (São Paulo)' },
  { id: 'eu-west', name: 'Europe West (London, Paris)' },
  { id: 'eu-central', name: 'Europe Central (Frankfurt)' },
  { id: 'eu-north', name: 'Europe North (Stockholm)' },
  { id: 'eu-south', name: 'Europe South (Milan)' },
  { id: 'me-central', name: 'Middle East (Dubai)' },
  { id: 'af-south', name: 'Africa (Johannesburg)' },
  { id: 'asia-south', name: 'Asia South (Mumbai)' },
  { id: 'asia-southeast', name: 'Asia Southeast (Singapore)' },
  { id: 'asia-east', name: 'Asia East (Tokyo, Seoul)' },
  { id: 'oceania', name: 'Oceania (Sydney)' },
];

const BY_ID = new Map(REGIONS.map((r) => [r.id, r]));

// Other spellings markets and older data use, to the region id (the same rules as the keeper's catalog).
const ALIASES: ReadonlyArray<[RegExp, string]> = [
  [/^(na-)?us-?east|^us-e\b|^virginia|^ohio/, 'us-east'],
  [/^(na-)?us-?west|^us-w\b|^california|^oregon/, 'us-west'],
  [/^(na-)?us-?(central|south|midwest)|^texas/, 'us-central'],
  [/^(na-)?ca-?(central|east|west)?|^canada/, 'ca-central'],
  [/^(eu|europe)-?(west|wes)|^ireland|^london|^paris|^uk\b/, 'eu-west'],
  [/^(eu|europe)-?(central|centre)|^frankfurt|^germany/, 'eu-central'],
  [/^(eu|europe)-?(north|nordic)|^stockholm|^finland/, 'eu-north'],
  [/^(eu|europe)-?(south|southeast)|^milan|^spain/, 'eu-south'],
  [/^(ap|asia)-?(northeast|east)|^tokyo|^seoul|^hong-?kong|^taiwan/, 'asia-east'],
  [/^(ap|asia)-?south(?!east)|^mumbai|^india/, 'asia-south'],
  [/^(ap|asia)-?southeast|^singapore/, 'asia-southeast'],
  [/^(oc|oceania)|^ap-?southeast-?2|^sydney|^australia/, 'oceania'],
  [/^(sa|south-?america)-?(east)?|^sao-?paulo|^brazil/, 'sa-east'],
  [/^(me|middle-?east)|^israel|^uae|^dubai/, 'me-central'],
  [/^(af|africa)/, 'af-south'],
];

/** The region id for any spelling ("ap-northeast", "Frankfurt, DE", "us-east-1"); null when none fits. */
export function regionId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = raw.toLowerCase().trim().replace(/[\s_,]+/g, '-');
  if (BY_ID.has(s)) return s;
  if (s === 'ap-southeast-2') return 'oceania';
  for (const [re, id] of ALIASES) if (re.test(s)) return id;
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
