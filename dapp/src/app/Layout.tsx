import type { ReactNode } from 'react';
import { LazyWalletButton } from '../wallet/LazyWalletButton';
import { WithdrawNotice } from '../components/WithdrawNotice';
import { NetworkNotice } from './NetworkNotice';

const NAV = [
  { to: '/', label: 'Overview' },
  { to: '/submit', label: 'Submit job' },
  { to: '/jobs', label: 'My jobs' },
  { to: '/provider', label: 'Provider' },
  { to: '/teams', label: 'Teams' },
  { to: '/activity', label: 'Activity' },
  { to: '/arbiter', label: 'Disputes' },
];

function isCurrent(path: string, to: string): boolean {
  if (to === '/') return path === '/';
  return path === to || path.startsWith(`${to}/`) || path.startsWith(`${to}?`);
}

export function Layout({ path, children }: { path: string; children: ReactNode }) {
  return (
    <>
      <header className="app-header">
        <a className="brand" href="#/">
          nect<span>o</span>
        </a>
        <nav className="app-nav" aria-label="Main">
          {NAV.map((item) => (
            <a key={item.to} href={`#${item.to}`} aria-current={isCurrent(path, item.to) ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        <LazyWalletButton />
      </header>
      <main>
        <NetworkNotice />
        <WithdrawNotice />
        {children}
      </main>
      <footer className="app-footer">Every routing decision is logged to 0G Storage and committed on-chain — verify it on the job page.</footer>
    </>
  );
}
