// Lazy-loaded: RainbowKit and its styles stay out of the first screen's bundle.
import '@rainbow-me/rainbowkit/styles.css';
import { ConnectButton, RainbowKitProvider, darkTheme, useConnectModal } from '@rainbow-me/rainbowkit';
import { useEffect } from 'react';
import { registerConnectOpener } from './connectStore';

function RegisterOpener() {
  const { openConnectModal } = useConnectModal();
  useEffect(() => {
    registerConnectOpener(openConnectModal);
  }, [openConnectModal]);
  useEffect(() => () => registerConnectOpener(undefined), []);
  return null;
}

export default function WalletButton() {
  return (
    <RainbowKitProvider theme={darkTheme({ accentColor: '#1f6feb' })} appInfo={{ appName: 'Necto' }} modalSize="compact">
      <RegisterOpener />
      <ConnectButton chainStatus="icon" accountStatus="address" showBalance={false} />
    </RainbowKitProvider>
  );
}
