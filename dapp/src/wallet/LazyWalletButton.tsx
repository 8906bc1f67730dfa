import { lazy, Suspense, useEffect, useState } from 'react';
import { requestConnect } from './connectStore';

const WalletButton = lazy(() => import('./WalletButton'));

/** Shows a light placeholder, then loads RainbowKit when the browser is idle or the user asks to connect. */
export function LazyWalletButton() {
  const [load, setLoad] = useState(false);
  useEffect(() => {
    const start = () => setLoad(true);
    window.addEventListener('necto:load-wallet-ui', start);
    // Load the wallet UI once the first screen is up (idle), so Connect is instant without weighing on it.
    const timer = setTimeout(start, 1500);
    return () => {
      window.removeEventListener('necto:load-wallet-ui', start);
      clearTimeout(timer);
    };
  }, []);
  const placeholder = (
    <button type="button" className="primary" onClick={() => { setLoad(true); requestConnect(); }}>
      Connect Wallet
    </button>
  );
  if (!load) return placeholder;
  return (
    <Suspense fallback={placeholder}>
      <WalletButton />
    </Suspense>
  );
}
