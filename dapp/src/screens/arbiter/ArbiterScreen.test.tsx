import { getDeployment } from '@necto/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import { Client, Provider, fetchExchange } from 'urql';
import { http } from 'viem';
import { foundry } from 'viem/chains';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConfig, WagmiProvider } from 'wagmi';
import { ConfigProvider } from '../../config/context';
import { canonicalJson } from '../../lib/canonicalJson';
import { formatTimestamp } from '../../lib/format';
import { zeroGRootHash } from '../../lib/merkle0g';
import { testConfig } from '../../test/render';
import { sampleManifest } from '../../test/resultManifest';
import { buildEvidence } from '../job/disputeEvidence';
import ArbiterScreen, { shownDisputes } from './ArbiterScreen';

const jobMarket = getDeployment(31337).contracts.JobMarket;
const manifest = sampleManifest({ jobMarket, jobId: '12', exitCode: 1, reason: 'nonzero' });
const manifestBytes = new TextEncoder().encode(canonicalJson(manifest));
const resultHash = zeroGRootHash(manifestBytes);
const evidence = buildEvidence({ chainId: 31337, jobMarket, jobId: '12', round: 1, manifestRoot: resultHash, reason: 'The run exited with an error before writing outputs.' });

// Completed a minute ago: the default settlement opens a day and an hour later.
const completedAt = Math.floor(Date.now() / 1000) - 60;
const disputed = {
  id: '12', status: 'DISPUTED', buyer: { id: '0x00000000000000000000000000000000000000b0' }, provider: { id: manifest.provider.toLowerCase(), name: 'Hopper Cloud' },
  operator: manifest.provider.toLowerCase(), market: null, round: 1, gpuCount: 1, duration: '3600', pricePerGpuHour: '2000000', balance: '2000000',
  startedAt: String(completedAt - 30), completedAt: String(completedAt), disputedAt: String(completedAt + 5), resolvedAt: null, resultHash, disputeReasonHash: evidence.reasonHash,
  providerShareBps: null, settledByDefault: null, payout: '0', refund: '0', currentRoute: { logRoot: `0x${'44'.repeat(32)}`, decisionHash: `0x${'55'.repeat(32)}` },
};

function stubNetwork() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url.startsWith(testConfig.subgraphUrl)) {
        const query = init?.body ? (JSON.parse(String(init.body)) as { query: string }).query : (new URL(url).searchParams.get('query') ?? '');
        if (query.includes('query Disputes')) return Response.json({ data: { jobs: [disputed] } });
        expect(query).toContain('query DisputeTerms');
        return Response.json({ data: { protocol: { disputeWindow: '3600', disputeTimeout: '86400' } } });
      }
      if (url.endsWith(`/content/${resultHash}`)) return new Response(manifestBytes.slice());
      if (url.endsWith(`/content/${evidence.reasonHash}`)) return new Response(evidence.text);
      return new Response('not found', { status: 404 });
    }),
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('ArbiterScreen', () => {
  it('lists a dispute with both sides’ evidence checked, the resolution slider and the default settlement time', async () => {
    stubNetwork();
    const wagmi = createConfig({ chains: [foundry], transports: { [foundry.id]: http('http://127.0.0.1:1') } });
    const client = new Client({ url: testConfig.subgraphUrl, exchanges: [fetchExchange], requestPolicy: 'network-only' });
    render(
      <ConfigProvider config={testConfig}>
        <WagmiProvider config={wagmi}>
          <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
            <Provider value={client}>
              <ArbiterScreen match={{ path: '/arbiter', params: {}, query: new URLSearchParams() }} />
            </Provider>
          </QueryClientProvider>
        </WagmiProvider>
      </ConfigProvider>,
    );
    const card = await screen.findByTestId('dispute');
    expect(card.getAttribute('data-job')).toBe('12');
    await waitFor(() => expect(within(card).getByTestId('result-verify').getAttribute('data-verified')).toBe('true'));
    expect(within(card).getByTestId('result-exit-code').textContent).toBe('1');
    await waitFor(() => expect(within(card).getByTestId('buyer-evidence').getAttribute('data-valid')).toBe('true'));
    expect(within(card).getByText(/The run exited with an error before writing outputs\./)).toBeInstanceOf(HTMLElement);
    expect(within(card).getByRole('slider')).toBeInstanceOf(HTMLElement);
    expect(within(card).getByRole('button', { name: 'Resolve dispute' })).toBeInstanceOf(HTMLElement);
    // completedAt + dispute window + dispute timeout.
    const timeout = await within(card).findByText(new RegExp(`from ${formatTimestamp(completedAt + 3_600 + 86_400)}`));
    expect(timeout.closest('[data-testid="dispute-timeout"]')?.getAttribute('data-passed')).toBe('false');
  });

  it('keeps a dispute decided from this screen listed (with its outcome) when resolved ones are hidden', () => {
    const jobs = [{ id: '1', status: 'Disputed' as const }, { id: '2', status: 'Resolved' as const }, { id: '3', status: 'Resolved' as const }];
    expect(shownDisputes(jobs, { showResolved: false, decided: new Set() }).map((j) => j.id)).toEqual(['1']);
    expect(shownDisputes(jobs, { showResolved: false, decided: new Set(['3']) }).map((j) => j.id)).toEqual(['1', '3']);
    expect(shownDisputes(jobs, { showResolved: true, decided: new Set() }).map((j) => j.id)).toEqual(['1', '2', '3']);
  });
});
