// Lets any screen ask for the wallet modal without importing RainbowKit (which is lazy-loaded with the
// wallet button): the button registers its `openConnectModal` here once it is mounted.
import { useSyncExternalStore } from 'react';

type Opener = (() => void) | undefined;
let opener: Opener;
let pending = false;
const listeners = new Set<() => void>();

export function registerConnectOpener(open: Opener): void {
  opener = open;
  if (open && pending) {
    pending = false;
    open();
  }
  listeners.forEach((l) => l());
}

/** Opens the connect modal, or opens it as soon as the wallet UI has loaded. */
export function requestConnect(): void {
  if (opener) opener();
  else {
    pending = true;
    window.dispatchEvent(new Event('necto:load-wallet-ui'));
  }
}

export function useWalletUiReady(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => opener !== undefined,
  );
}
