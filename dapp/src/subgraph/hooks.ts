// Typed data hooks over the subgraph. Entity ids of addresses are lower-case hex.
import * as Q from './queries';
import { useSubgraph } from './useSubgraph';

export function useActivity(options: { first?: number; involves?: string; poll?: boolean } = {}) {
  const where = options.involves ? { involves_contains: [options.involves.toLowerCase()] } : {};
  return useSubgraph(Q.ACTIVITY_QUERY, Q.ActivityResult, { first: options.first ?? 30, where }, { poll: options.poll ?? true });
}

export const useProtocol = () => useSubgraph(Q.PROTOCOL_QUERY, Q.ProtocolResult, {}, { poll: true });

export function useBuyerJobs(buyer: string | undefined) {
  return useSubgraph(Q.JOBS_QUERY, Q.JobsResult, { where: { buyer: buyer?.toLowerCase() ?? '' }, first: 100 }, { pause: !buyer, poll: true });
}

export const useJob = (id: string) => useSubgraph(Q.JOB_QUERY, Q.JobResult, { id }, { poll: true });

export function useProvider(address: string | undefined) {
  return useSubgraph(Q.PROVIDER_QUERY, Q.ProviderResult, { id: address?.toLowerCase() ?? '', address: address?.toLowerCase() ?? '' }, { pause: !address, poll: true });
}

export function useAccountBalances(address: string | undefined) {
  return useSubgraph(Q.ACCOUNT_QUERY, Q.AccountResult, { id: address?.toLowerCase() ?? '' }, { pause: !address, poll: true });
}

export function useMyTeams(member: string | undefined) {
  return useSubgraph(Q.MY_TEAMS_QUERY, Q.MyTeamsResult, { member: member?.toLowerCase() ?? '0x' }, { pause: !member, poll: true });
}

export const useTeam = (id: string) => useSubgraph(Q.TEAM_QUERY, Q.TeamResult, { id, teamId: id }, { poll: true });

export const useDirectory = () => useSubgraph(Q.DIRECTORY_QUERY, Q.DirectoryResult, {});

export const useMarketOffers = () => useSubgraph(Q.MARKET_OFFERS_QUERY, Q.MarketOffersResult, {});
