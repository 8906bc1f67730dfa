import { BigDecimal, BigInt } from '@graphprotocol/graph-ts';

/** Id of the Protocol singleton. */
export const PROTOCOL_ID = 'necto';

export const ZERO = BigInt.zero();
export const ONE = BigInt.fromI32(1);
export const ZERO_DECIMAL = BigDecimal.zero();
export const SECONDS_PER_DAY = 86400;
export const USDC_UNIT = BigInt.fromI32(1000000);

// JobStatus and ProviderStatus (schema enum values) and the ordinal → value mapping, generated from the Solidity enums.
export { JobStatus, ProviderStatus, providerStatusName } from '../../../contracts/generated/assemblyscript/enums';

/** EscrowMovementKind enum values. */
export namespace MovementKind {
  export const DEPOSIT = 'DEPOSIT';
  export const TOP_UP = 'TOP_UP';
  export const RELEASE = 'RELEASE';
  export const FEE = 'FEE';
  export const REFUND = 'REFUND';
  export const WITHDRAWAL = 'WITHDRAWAL';
  export const FEE_WITHDRAWAL = 'FEE_WITHDRAWAL';
}

/** ActivityKind enum values. */
export namespace ActivityKind {
  export const JOB_SUBMITTED = 'JOB_SUBMITTED';
  export const JOB_ROUTED = 'JOB_ROUTED';
  export const JOB_REROUTED = 'JOB_REROUTED';
  export const ROUTE_ACCEPTED = 'ROUTE_ACCEPTED';
  export const ROUTE_REJECTED = 'ROUTE_REJECTED';
  export const JOB_STARTED = 'JOB_STARTED';
  export const JOB_COMPLETED = 'JOB_COMPLETED';
  export const JOB_SETTLED = 'JOB_SETTLED';
  export const JOB_DISPUTED = 'JOB_DISPUTED';
  export const DISPUTE_RESOLVED = 'DISPUTE_RESOLVED';
  export const JOB_CANCELLED = 'JOB_CANCELLED';
  export const JOB_EXPIRED = 'JOB_EXPIRED';
  export const JOB_TOPPED_UP = 'JOB_TOPPED_UP';
  export const PROVIDER_REGISTERED = 'PROVIDER_REGISTERED';
  export const PROVIDER_UPDATED = 'PROVIDER_UPDATED';
  export const PROVIDER_PAUSED = 'PROVIDER_PAUSED';
  export const PROVIDER_RESUMED = 'PROVIDER_RESUMED';
  export const PROVIDER_SUSPENDED = 'PROVIDER_SUSPENDED';
  export const PROVIDER_REINSTATED = 'PROVIDER_REINSTATED';
  export const PROVIDER_DEREGISTERED = 'PROVIDER_DEREGISTERED';
  export const OFFER_LISTED = 'OFFER_LISTED';
  export const OFFER_REPRICED = 'OFFER_REPRICED';
  export const OFFER_CAPACITY_CHANGED = 'OFFER_CAPACITY_CHANGED';
  export const OFFER_ACTIVATED = 'OFFER_ACTIVATED';
  export const OFFER_DEACTIVATED = 'OFFER_DEACTIVATED';
  export const TEAM_CREATED = 'TEAM_CREATED';
  export const TEAM_MEMBER_ADDED = 'TEAM_MEMBER_ADDED';
  export const TEAM_MEMBER_REMOVED = 'TEAM_MEMBER_REMOVED';
  export const TEAM_CAP_SET = 'TEAM_CAP_SET';
  export const TEAM_OWNERSHIP_TRANSFERRED = 'TEAM_OWNERSHIP_TRANSFERRED';
  export const WITHDRAWAL = 'WITHDRAWAL';
  export const FEES_WITHDRAWN = 'FEES_WITHDRAWN';
}
