// Subgraph queries (subgraph/schema.graphql) and their zod shapes. The dApp reads chain state only from here.
import { z } from 'zod';
import { bigDecimalScalar, bigIntScalar, bytesScalar, jobStatusScalar, providerStatusScalar } from './scalars';

const big = bigIntScalar;
const optBig = bigIntScalar.nullable().optional();

/* ---------------------------------- activity --------------------------------- */

export const ActivityEventSchema = z.object({
  id: z.string(),
  kind: z.string(),
  actor: bytesScalar,
  summary: z.string(),
  amount: optBig,
  timestamp: big,
  txHash: bytesScalar,
  job: z.object({ id: z.string() }).nullable().optional(),
  team: z.object({ id: z.string() }).nullable().optional(),
  provider: z.object({ id: z.string() }).nullable().optional(),
});
export type ActivityEvent = z.infer<typeof ActivityEventSchema>;

const ACTIVITY_FIELDS = 'id kind actor summary amount timestamp txHash job { id } team { id } provider { id }';

export const ACTIVITY_QUERY = /* GraphQL */ `
  query Activity($first: Int!, $where: ActivityEvent_filter) {
    activityEvents(first: $first, orderBy: timestamp, orderDirection: desc, where: $where) { ${ACTIVITY_FIELDS} }
  }
`;
export const ActivityResult = z.object({ activityEvents: z.array(ActivityEventSchema) });

/* ---------------------------------- protocol --------------------------------- */

export const PROTOCOL_QUERY = /* GraphQL */ `
  query Protocol {
    protocol(id: "necto") {
      jobsTotal jobsOpen jobsRouted jobsAccepted jobsRunning jobsCompleted jobsSettled
      volumeDeposited volumePaid feesTotal escrowBalance providersTotal activeProviders activeOffers teamsTotal paused feeBps
    }
    _meta { block { number } }
  }
`;
export const ProtocolResult = z.object({
  protocol: z
    .object({
      jobsTotal: big, jobsOpen: big, jobsRouted: big, jobsAccepted: big, jobsRunning: big, jobsCompleted: big, jobsSettled: big,
      volumeDeposited: big, volumePaid: big, feesTotal: big, escrowBalance: big, providersTotal: big, activeProviders: big,
      activeOffers: big, teamsTotal: big, paused: z.boolean(), feeBps: z.number().nullable().optional(),
    })
    .nullable(),
  _meta: z.object({ block: z.object({ number: z.number() }) }).optional(),
});

/* ------------------------------------ jobs ----------------------------------- */

const JobListItem = z.object({
  id: z.string(),
  status: jobStatusScalar,
  gpuCount: z.number(),
  gpuModels: z.array(z.string()).nullable().optional(),
  duration: big,
  budget: big,
  balance: big,
  maxPricePerGpuHour: big,
  pricePerGpuHour: optBig,
  market: z.string().nullable().optional(),
  tracked: z.boolean(),
  submittedAt: big,
  provider: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
  team: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
});
export type JobListItem = z.infer<typeof JobListItem>;
const JOB_LIST_FIELDS = 'id status gpuCount gpuModels duration budget balance maxPricePerGpuHour pricePerGpuHour market tracked submittedAt provider { id name } team { id name }';

export const JOBS_QUERY = /* GraphQL */ `
  query Jobs($where: Job_filter, $first: Int!) {
    jobs(where: $where, first: $first, orderBy: submittedAt, orderDirection: desc) { ${JOB_LIST_FIELDS} }
  }
`;
export const JobsResult = z.object({ jobs: z.array(JobListItem) });

export const RouteSchema = z.object({
  id: z.string(),
  round: z.number(),
  reroute: z.boolean(),
  providerRef: bytesScalar,
  providerAddress: bytesScalar,
  provider: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
  offerId: big,
  market: z.string().nullable().optional(),
  externalId: z.string().nullable().optional(),
  pricePerGpuHour: big,
  logRoot: bytesScalar,
  decisionHash: bytesScalar,
  sdlHash: bytesScalar,
  keeper: bytesScalar,
  autoAccepted: z.boolean(),
  startDeadline: big,
  timestamp: big,
  txHash: bytesScalar,
});
export type Route = z.infer<typeof RouteSchema>;
const ROUTE_FIELDS = 'id round reroute providerRef providerAddress provider { id name } offerId market externalId pricePerGpuHour logRoot decisionHash sdlHash keeper autoAccepted startDeadline timestamp txHash';

export const MovementSchema = z.object({ id: z.string(), kind: z.string(), amount: big, timestamp: big, txHash: bytesScalar, account: z.object({ id: z.string() }).nullable().optional() });

export const JobDetailSchema = z.object({
  id: z.string(),
  status: jobStatusScalar,
  buyer: z.object({ id: z.string() }),
  team: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
  specHash: bytesScalar,
  tracked: z.boolean(),
  autoAccept: z.boolean(),
  allowExternal: z.boolean(),
  maxPricePerGpuHour: big,
  gpuCount: z.number(),
  duration: big,
  startBy: big,
  gpuModels: z.array(z.string()).nullable().optional(),
  regions: z.array(z.string()).nullable().optional(),
  minVramGb: z.number().nullable().optional(),
  minVcpu: z.number().nullable().optional(),
  minRamGb: z.number().nullable().optional(),
  budget: big,
  totalDeposited: big,
  balance: big,
  round: z.number(),
  currentRoute: RouteSchema.nullable().optional(),
  routes: z.array(RouteSchema),
  provider: z.object({ id: z.string(), name: z.string(), payout: bytesScalar }).nullable().optional(),
  market: z.string().nullable().optional(),
  externalId: z.string().nullable().optional(),
  pricePerGpuHour: optBig,
  startDeadline: optBig,
  operator: bytesScalar.nullable().optional(),
  submittedAt: big,
  routedAt: optBig,
  acceptedAt: optBig,
  startedAt: optBig,
  completedAt: optBig,
  settledAt: optBig,
  cancelledAt: optBig,
  expiredAt: optBig,
  disputedAt: optBig,
  resolvedAt: optBig,
  payout: big,
  fee: big,
  refund: big,
  movements: z.array(MovementSchema),
  activity: z.array(z.object({ id: z.string(), kind: z.string(), summary: z.string(), timestamp: big, txHash: bytesScalar })),
});
export type JobDetail = z.infer<typeof JobDetailSchema>;

export const JOB_QUERY = /* GraphQL */ `
  query Job($id: ID!) {
    job(id: $id) {
      id status buyer { id } team { id name } specHash tracked autoAccept allowExternal maxPricePerGpuHour gpuCount duration startBy
      gpuModels regions minVramGb minVcpu minRamGb budget totalDeposited balance round
      currentRoute { ${ROUTE_FIELDS} }
      routes(orderBy: round, orderDirection: asc) { ${ROUTE_FIELDS} }
      provider { id name payout } market externalId pricePerGpuHour startDeadline operator
      submittedAt routedAt acceptedAt startedAt completedAt settledAt cancelledAt expiredAt disputedAt resolvedAt
      payout fee refund
      movements(orderBy: timestamp, orderDirection: asc) { id kind amount timestamp txHash account { id } }
      activity(orderBy: timestamp, orderDirection: asc) { id kind summary timestamp txHash }
    }
    protocol(id: "necto") { disputeWindow startWindow }
  }
`;
export const JobResult = z.object({
  job: JobDetailSchema.nullable(),
  protocol: z.object({ disputeWindow: optBig, startWindow: optBig }).nullable().optional(),
});

/* ---------------------------------- providers -------------------------------- */

export const OfferSchema = z.object({
  id: z.string(),
  offerId: big,
  gpuModel: z.string(),
  gpuCount: z.number(),
  vramGb: z.number(),
  vcpu: z.number(),
  ramGb: z.number(),
  region: z.string(),
  pricePerGpuHour: big,
  availableUnits: z.number(),
  active: z.boolean(),
  jobsRouted: z.number(),
  /** Listing price, then every reprice, oldest first (OfferPriceChange). */
  priceHistory: z.array(z.object({ pricePerGpuHour: big, timestamp: big })).optional(),
});
export type Offer = z.infer<typeof OfferSchema>;
const OFFER_FIELDS =
  'id offerId gpuModel gpuCount vramGb vcpu ramGb region pricePerGpuHour availableUnits active jobsRouted priceHistory(orderBy: timestamp, orderDirection: asc, first: 100) { pricePerGpuHour timestamp }';

export const ProviderSchema = z.object({
  id: z.string(),
  name: z.string(),
  metadataURI: z.string(),
  region: z.string(),
  payout: bytesScalar,
  status: providerStatusScalar,
  registeredAt: big,
  offers: z.array(OfferSchema),
  stats: z
    .object({
      jobsRouted: z.number(), jobsStarted: z.number(), jobsCompleted: z.number(), jobsPaid: z.number(), jobsDisputed: z.number(),
      onTimeStartRate: bigDecimalScalar, totalEarned: big, totalFees: big,
    })
    .nullable()
    .optional(),
  dayEarnings: z.array(z.object({ day: z.number(), earned: big, fees: big, jobsPaid: z.number() })),
});
export type ProviderDetail = z.infer<typeof ProviderSchema>;

export const PROVIDER_QUERY = /* GraphQL */ `
  query Provider($id: ID!, $address: String!) {
    provider(id: $id) {
      id name metadataURI region payout status registeredAt
      offers(orderBy: offerId, orderDirection: asc) { ${OFFER_FIELDS} }
      stats { jobsRouted jobsStarted jobsCompleted jobsPaid jobsDisputed onTimeStartRate totalEarned totalFees }
      dayEarnings(orderBy: day, orderDirection: desc, first: 30) { day earned fees jobsPaid }
    }
    jobs(where: { provider: $address }, orderBy: submittedAt, orderDirection: desc, first: 50) { ${JOB_LIST_FIELDS} startDeadline startedAt completedAt payout fee }
  }
`;
export const ProviderResult = z.object({
  provider: ProviderSchema.nullable(),
  jobs: z.array(JobListItem.extend({ startDeadline: optBig, startedAt: optBig, completedAt: optBig, payout: big, fee: big })),
});

export const ACCOUNT_QUERY = /* GraphQL */ `
  query Account($id: ID!) { account(id: $id) { id withdrawable totalEarned totalWithdrawn totalRefunded } }
`;
export const AccountResult = z.object({
  account: z.object({ id: z.string(), withdrawable: big, totalEarned: big, totalWithdrawn: big, totalRefunded: big }).nullable(),
});

export const MARKET_OFFERS_QUERY = /* GraphQL */ `
  query MarketOffers { offers(where: { active: true }, first: 200, orderBy: pricePerGpuHour) { gpuModel region } }
`;
export const MarketOffersResult = z.object({ offers: z.array(z.object({ gpuModel: z.string(), region: z.string() })) });

/** Who is who: provider names for the addresses activity summaries and escrow movements mention. */
export const DIRECTORY_QUERY = /* GraphQL */ `
  query Directory { providers(first: 1000) { id name payout } }
`;
export const DirectoryResult = z.object({ providers: z.array(z.object({ id: z.string(), name: z.string(), payout: z.string() })) });

/* ------------------------------------ teams ---------------------------------- */

const TeamSummary = z.object({
  id: z.string(),
  name: z.string(),
  owner: bytesScalar,
  spendingCap: big,
  period: big,
  periodStart: big,
  spentInPeriod: big,
  memberCount: z.number(),
  totalSpent: big,
  jobsSubmitted: z.number(),
});
export type TeamSummary = z.infer<typeof TeamSummary>;
const TEAM_FIELDS = 'id name owner spendingCap period periodStart spentInPeriod memberCount totalSpent jobsSubmitted';

export const MY_TEAMS_QUERY = /* GraphQL */ `
  query MyTeams($member: Bytes!) {
    teamMembers(where: { address: $member, active: true }, first: 100) { id owner team { ${TEAM_FIELDS} } }
  }
`;
export const MyTeamsResult = z.object({ teamMembers: z.array(z.object({ id: z.string(), owner: z.boolean(), team: TeamSummary })) });

export const TEAM_QUERY = /* GraphQL */ `
  query Team($id: ID!, $teamId: String!) {
    team(id: $id) {
      ${TEAM_FIELDS} totalDeposited totalRefunded createdAt
      members(orderBy: addedAt, orderDirection: asc) { id address active owner jobsSubmitted deposited spent refunded }
      daySpend(orderBy: day, orderDirection: desc, first: 30) { day deposited spent refunded recorded jobsSubmitted }
      jobs(orderBy: submittedAt, orderDirection: desc, first: 20) { ${JOB_LIST_FIELDS} }
    }
    teamProviderDaySpends(where: { team: $teamId }, first: 500) { providerRef provider { id name } market externalId spent jobsPaid }
  }
`;
export const TeamResult = z.object({
  team: TeamSummary.extend({
    totalDeposited: big,
    totalRefunded: big,
    createdAt: big,
    members: z.array(z.object({ id: z.string(), address: bytesScalar, active: z.boolean(), owner: z.boolean(), jobsSubmitted: z.number(), deposited: big, spent: big, refunded: big })),
    daySpend: z.array(z.object({ day: z.number(), deposited: big, spent: big, refunded: big, recorded: big, jobsSubmitted: z.number() })),
    jobs: z.array(JobListItem),
  }).nullable(),
  teamProviderDaySpends: z.array(
    z.object({
      providerRef: bytesScalar,
      provider: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
      market: z.string().nullable().optional(),
      externalId: z.string().nullable().optional(),
      spent: big,
      jobsPaid: z.number(),
    }),
  ),
});
export type TeamDetail = NonNullable<z.infer<typeof TeamResult>['team']>;
