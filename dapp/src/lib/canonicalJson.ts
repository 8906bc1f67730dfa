// The keeper's canonical JSON (keys sorted, no whitespace, bigints as decimal strings): one implementation, so the
// spec hash the dApp commits on-chain is exactly the one the keeper recomputes from the document.
export { canonicalJson } from '@necto/keeper/canonical';
