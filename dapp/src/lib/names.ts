// Names instead of addresses: activity summaries and escrow movements mention short addresses (0x1234…abcd); a
// known provider (by wallet or payout address) or the connected wallet reads better by name.
import { shortAddress } from './format';

export type Directory = ReadonlyMap<string, string>;

/** address (lower-case) → name, from the providers and the connected wallet ("you"). */
export function directoryOf(providers: readonly { id: string; name: string; payout: string }[], me?: string): Directory {
  const names = new Map<string, string>();
  for (const p of providers) {
    names.set(p.id.toLowerCase(), p.name);
    if (!names.has(p.payout.toLowerCase())) names.set(p.payout.toLowerCase(), `${p.name} (payout)`);
  }
  if (me) names.set(me.toLowerCase(), 'you');
  return names;
}

/** The name for an address, or its short form when unknown. */
export function nameOf(address: string, directory: Directory): string {
  return directory.get(address.toLowerCase()) ?? shortAddress(address);
}

/** Replaces every known address in `text`, full or shortened, with its name. */
export function nameAddresses(text: string, directory: Directory): string {
  let out = text;
  for (const [address, name] of directory) {
    out = out.replace(new RegExp(`${address}|${shortAddress(address)}`, 'gi'), name);
  }
  return out;
}
