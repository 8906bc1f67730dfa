import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AkashSelfSignView } from '@necto/keeper/domain';
import { renderWithConfig } from '../../test/render';
import { KeplrDeploy } from './KeplrDeploy';

const view: AkashSelfSignView = {
  jobId: '7',
  round: 1,
  owner: 'akash15yk64u7zc9g9k2yr2wmzeva5qgwxps6ytfzgqy',
  granter: 'akash18ga02jzaq8cw52anyhzkwta5wygufgu6zsz6xc',
  chainId: 'akash-local-standin',
  nodeUrl: 'http://127.0.0.1:1',
  network: 'akash-standin',
  provider: 'akash1znd5zwx4dghvlvggsx5muw2dnuepnpdj0m9sz5',
  sdlHash: `0x${'ab'.repeat(32)}`,
  deposit: { denom: 'uact', amount: '5000000' },
  feeAllowance: { denom: 'uakt', amount: '1000000' },
  grantExpiresAt: 1_700_000_000,
  grantTx: 'ABC',
  deployment: null,
};

afterEach(() => {
  vi.unstubAllGlobals();
  delete (window as { keplr?: unknown }).keplr;
});

function serve(status: number, body: unknown) {
  const fetchMock = vi.fn(async (_input: RequestInfo | URL) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('<KeplrDeploy>', () => {
  it('is absent for a round the managed wallet deploys (404)', async () => {
    const fetchMock = serve(404, { error: { code: 'not_self_signed', message: 'no self-signed round' } });
    renderWithConfig(<KeplrDeploy jobId="7" routeSdlHash={view.sdlHash} durationSec={3600} />);
    // While loading the panel says what it is loading; once the keeper answers 404 nothing is left.
    expect(screen.getByText('Deploy with Keplr')).toBeInstanceOf(HTMLElement);
    await vi.waitFor(() => expect(screen.queryByText('Deploy with Keplr')).toBeNull());
    expect(fetchMock.mock.calls[0]![0]).toBe('http://keeper.test/jobs/7/akash/self-sign');
  });

  it('labels the local stand-in, says who pays, and asks for Keplr when it is missing', async () => {
    serve(200, view);
    renderWithConfig(<KeplrDeploy jobId="7" routeSdlHash={view.sdlHash} durationSec={3600} />);
    expect((await screen.findByTestId('keplr-network')).textContent).toBe('local Akash stand-in');
    expect(screen.getByTestId('keplr-grant').textContent).toContain('5.00 ACT');
    expect((screen.getByRole('button', { name: 'Deploy with Keplr' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Connect Keplr' }));
    expect((await screen.findByTestId('keplr-error')).textContent).toMatch(/Keplr is not installed/);
  });

  it('refuses a Keplr account that is not the job’s Akash signer', async () => {
    serve(200, view);
    (window as { keplr?: unknown }).keplr = {
      enable: async () => undefined,
      getOfflineSigner: () => ({ getAccounts: async () => [{ address: 'akash1qperwt9wrnkg5k9e5gzfgjppzpqhyav5j24d66', algo: 'secp256k1', pubkey: new Uint8Array(33) }], signDirect: async () => ({}) }),
      signArbitrary: async () => ({}),
    };
    renderWithConfig(<KeplrDeploy jobId="7" routeSdlHash={view.sdlHash} durationSec={3600} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect Keplr' }));
    expect((await screen.findByTestId('keplr-error')).textContent).toMatch(/is not this job's Akash signer/);
  });
});
