// The one list of regions Necto speaks of, and the other spellings markets use for them: the catalog normalises every
// source's regions with these rules, and the dApp's selects, filters and display use the same ids and names.

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

/** Other spellings markets and older data use ("us-east-1", "Frankfurt, DE", "ap-northeast"), to the region id. */
export const REGION_ALIASES: ReadonlyArray<[RegExp, string]> = [
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
