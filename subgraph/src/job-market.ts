// JobMarket: jobs, routes, escrow and protocol settings. One handler per contract event, grouped by lifecycle area
// under job-market/; this file is the data source's mapping and exports every handler the manifest names.
export { handleJobSpecPublished, handleJobSubmitted, handleJobToppedUp } from './job-market/submission';
export { handleRouteAccepted, handleRouteCommitted, handleRouteRejected } from './job-market/routing';
export { handleJobCompleted, handleJobStarted } from './job-market/execution';
export { handleJobCancelled, handleJobExpired, handleJobSettled } from './job-market/settlement';
export { handleDisputeResolved, handleDisputeSettledByDefault, handleJobDisputed } from './job-market/disputes';
export { handleFeeAccrued, handleFeesWithdrawn, handlePaymentCredited, handleWithdrawn } from './job-market/escrow';
export {
  handleAuthorityUpdated,
  handleDisputeTimeoutSet,
  handleMarketSettlementSet,
  handlePaused,
  handleProtocolFeeSet,
  handleTermsSet,
  handleTreasurySet,
  handleUnpaused,
  handleWindowsSet,
} from './job-market/admin';
