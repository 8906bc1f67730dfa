import { getDeployment } from '@necto/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Client, Provider, fetchExchange } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigProvider } from '../../config/context';
import { canonicalJson } from '../../lib/canonicalJson';
import { zeroGRootHash } from '../../lib/merkle0g';
import type { JobDetail } from '../../subgraph/queries';
import { testConfig } from '../../test/render';
import { sampleManifest } from '../../test/resultManifest';
import { ResultPanel } from './ResultPanel';

const jobMarket = getDeployment(31337).contracts.JobMarket;
const manifest = sampleManifest({ jobMarket, jobId: '12', exitCode: 3, reason: 'nonzero' });
const good = new TextEncoder().encode(canonicalJson(manifest));
const resultHash = zeroGRootHash(good);
const job = { id: '12', round: 1, status: 'Completed', completedAt: 1_800_000_031n, operator: manifest.provider.toLowerCase(), provider: { id: manifest.provider.toLowerCase(), name: 'P', payout: '0x' } } as unknown as JobDetail;

function stubNetwork(serve: () => Uint8Array) {
  const contentRequests: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url.startsWith(testConfig.subgraphUrl)) {
        const query = init?.body ? (JSON.parse(String(init.body)) as { query: string }).query : (new URL(url).searchParams.get('query') ?? '');
        expect(query).toContain('resultHash');
        return Response.json({ data: { job: { id: '12', resultHash, disputeReasonHash: null, providerShareBps: null, arbiter: null } } });
      }
      contentRequests.push(url);
      return new Response(serve().slice(), { headers: { 'Content-Type': 'application/octet-stream' } });
    }),
  );
  return contentRequests;
}

function renderPanel() {
  const client = new Client({ url: testConfig.subgraphUrl, exchanges: [fetchExchange], requestPolicy: 'network-only' });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <ConfigProvider config={testConfig}>
      <Provider value={client}>
        <QueryClientProvider client={queryClient}>
          <ResultPanel job={job} />
        </QueryClientProvider>
      </Provider>
    </ConfigProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('ResultPanel', () => {
  it('fetches the manifest by the on-chain resultHash, shows it and verifies it; a tampered copy fails visibly', async () => {
    let body = good;
    const requests = stubNetwork(() => body);
    renderPanel();
    const verdict = await screen.findByTestId('result-verify');
    expect(verdict.getAttribute('data-verified')).toBe('true');
    expect(requests[0]).toBe(`${testConfig.keeperUrl}/content/${resultHash}`);
    expect(screen.getByTestId('result-exit-code').textContent).toBe('3');
    expect(screen.getByTestId('result-reason').textContent).toBe('nonzero');
    const outputs = screen.getByRole('table', { name: 'Outputs' });
    expect(within(outputs).getByRole('link', { name: 'result.txt' }).getAttribute('href')).toBe(`${testConfig.keeperUrl}/content/0x${'33'.repeat(32)}`);
    expect(screen.getByTestId('result-log-link').getAttribute('href')).toBe(`${testConfig.keeperUrl}/content/0x${'11'.repeat(32)}`);

    body = new TextEncoder().encode(canonicalJson({ ...manifest, exitCode: 0, reason: 'ok' }));
    fireEvent.click(screen.getByRole('button', { name: 'Verify result' }));
    await waitFor(() => expect(screen.getByTestId('result-verify').getAttribute('data-verified')).toBe('false'));
    expect(screen.getByTestId('result-verify').querySelector('[data-check="root"]')?.getAttribute('data-passed')).toBe('false');
    expect(screen.getByText(/Verification failed/)).toBeInstanceOf(HTMLElement);
    expect(screen.getByText(/Unverified manifest shown below/)).toBeInstanceOf(HTMLElement);
    expect(requests).toHaveLength(2);
  });
});
