import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AkashDeploymentView } from '@necto/keeper/domain';
import { renderWithConfig } from '../../test/render';
import { AkashDeployment } from './AkashDeployment';

const view: AkashDeploymentView = {
  jobId: '7',
  round: 1,
  state: 'running',
  network: 'akash-standin',
  label: 'local Akash stand-in',
  owner: 'akash15yk64u7zc9g9k2yr2wmzeva5qgwxps6ytfzgqy',
  dseq: '42',
  provider: 'akash18ga02jzaq8cw52anyhzkwta5wygufgu6zsz6xc',
  lease: { gseq: 1, oseq: 1, provider: 'akash18ga02jzaq8cw52anyhzkwta5wygufgu6zsz6xc', price: { denom: 'uact', amount: '12' } },
  startedAt: 1_700_000_000,
  end: null,
  logRoot: null,
  resultRoot: null,
  lastError: null,
  earlier: [],
};

afterEach(() => vi.unstubAllGlobals());

function serve(status: number, body: unknown) {
  const fetchMock = vi.fn(async (_input: RequestInfo | URL) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('<AkashDeployment>', () => {
  it('shows the deployer’s state, lease and the stand-in label from GET /jobs/:id/akash', async () => {
    const fetchMock = serve(200, view);
    renderWithConfig(<AkashDeployment jobId="7" />);
    expect(await screen.findByText('local Akash stand-in')).toBeInstanceOf(HTMLElement);
    expect(fetchMock.mock.calls[0]![0]).toBe('http://keeper.test/jobs/7/akash');
    const states = screen.getByRole('list', { name: 'Deployment states' });
    expect(within(states).getByText('Running').getAttribute('aria-current')).toBe('step');
    expect(within(states).getByText('Closed').className).toBe('muted');
    expect(screen.getByText('1/1 at 12 uact per block')).toBeInstanceOf(HTMLElement);
  });

  it('says when the keeper has no deployment for the job (404)', async () => {
    serve(404, { error: { code: 'unknown_akash_deployment', message: 'no Akash deployment for job 7' } });
    renderWithConfig(<AkashDeployment jobId="7" />);
    expect(await screen.findByText(/has not deployed this job on Akash/)).toBeInstanceOf(HTMLElement);
  });

  it('shows how a closed deployment ended and the deployer’s last error', async () => {
    serve(200, { ...view, state: 'closed', end: { reason: 'no-bid', at: 1_700_000_100, detail: 'no bid within the window' }, lastError: 'bid window passed' });
    renderWithConfig(<AkashDeployment jobId="7" />);
    await waitFor(() => expect(screen.getByText(/no-bid at/)).toBeInstanceOf(HTMLElement));
    expect(screen.getByRole('alert').textContent).toContain('bid window passed');
  });

  it('lists the job’s earlier Akash rounds and how each ended (a provider that never bid)', async () => {
    const detail = 'no bid from akash1silent within 20 s';
    serve(200, { ...view, round: 2, earlier: [{ round: 1, dseq: '17', provider: 'akash1silent', state: 'closed', end: { reason: 'no-bid', at: 1_700_000_100, detail } }] });
    renderWithConfig(<AkashDeployment jobId="7" />);
    const earlier = await screen.findByTestId('akash-earlier');
    expect(earlier.textContent).toContain(`Round 1 · dseq 17 · deployment closed — no-bid: ${detail}`);
  });
});
