// The local stack's demo providers: what the seed registers on ProviderRegistry and what each provider agent the
// stack starts serves (the agent's config lists the same offers, so its policy bounds a run by the offer sold).
// `account` indexes ANVIL_ACCOUNTS; prices are USDC per GPU-hour.
export const DEMO_PROVIDERS = [
  {
    account: 5,
    name: 'Lattice Compute',
    region: 'us-east',
    offers: [
      { gpuModel: 'H100', gpuCount: 8, vramGb: 80, vcpu: 96, ramGb: 1024, region: 'us-east', price: 2.49, units: 4 },
      { gpuModel: 'A100', gpuCount: 8, vramGb: 80, vcpu: 64, ramGb: 512, region: 'us-east', price: 1.39, units: 6 },
    ],
  },
  {
    account: 6,
    name: 'Fjord GPU',
    region: 'eu-north',
    offers: [
      { gpuModel: 'A100', gpuCount: 4, vramGb: 80, vcpu: 48, ramGb: 384, region: 'eu-north', price: 1.29, units: 3 },
      { gpuModel: 'L40S', gpuCount: 4, vramGb: 48, vcpu: 32, ramGb: 256, region: 'eu-north', price: 0.89, units: 8 },
    ],
  },
  {
    account: 7,
    name: 'Sakura Cloud',
    region: 'asia-east',
    offers: [
      { gpuModel: 'RTX4090', gpuCount: 2, vramGb: 24, vcpu: 16, ramGb: 64, region: 'asia-east', price: 0.39, units: 12 },
      { gpuModel: 'H100', gpuCount: 8, vramGb: 80, vcpu: 96, ramGb: 1024, region: 'asia-east', price: 2.29, units: 2 },
    ],
  },
];

/** USDC per GPU-hour → base units (6 decimals), as ProviderRegistry stores it. */
export const priceUnits = (price) => Math.round(price * 1_000_000);
