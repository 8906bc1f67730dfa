import { getDeployment } from '@necto/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { Client, Provider, fetchExchange } from 'urql';
import { http } from 'viem';
import { foundry } from 'viem/chains';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConfig, WagmiProvider } from 'wagmi';
import { connect } from 'wagmi/actions';
import { mock } from 'wagmi/connectors';
import { ConfigProvider } from '../../config/context';
import type { JobDetail } from '../../subgraph/queries';
import { testConfig } from '../../test/render';
import { buildEvidence, loadEvidence } from './disputeEvidence';
import { DisputePanel } from './DisputePanel';

const buyer = '0x70997970C51812dc3A010C7d01b50e20d17dc79C';
const resultHash = `0x${'ab'.repeat(32)}`;
const jobMarket = getDeployment(31337).contracts.JobMarket;

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

async function renderFor(job: JobDetail) {
  vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL) => {
    if (String(input).startsWith(testConfig.subgraphUrl)) return Response.json({ data: { job: { id: job.id, resultHash, disputeReasonHash: null, providerShareBps: null, arbiter: null } } });
    throw new Error('offline');
  }));
  const connector = mock({ accounts: [buyer] });
  const wagmi = createConfig({ chains: [foundry], connectors: [connector], transports: { [foundry.id]: http('http://127.0.0.1:1') } });
  const client = new Client({ url: testConfig.subgraphUrl, exchanges: [fetchExchange], requestPolicy: 'network-only' });
  render(
    <ConfigProvider config={testConfig}>
      <WagmiProvider config={wagmi}>
        <QueryClientProvider client={new QueryClient()}>
          <Provider value={client}>
            <DisputePanel job={job} onDone={() => undefined} />
          </Provider>
        </QueryClientProvider>
      </WagmiProvider>
    </ConfigProvider>,
  );
  await act(async () => {
    await connect(wagmi, { connector: wagmi.connectors[0]! });
  });
}

describe('DisputePanel', () => {
  it('lets the buyer dispute with evidence citing the manifest root; the reasonHash is the evidence’s root', async () => {
    await renderFor({ id: '12', round: 1, status: 'Completed', buyer: { id: buyer.toLowerCase() } } as unknown as JobDetail);
    expect(await screen.findByText(resultHash)).toBeInstanceOf(HTMLElement);
    const submit = screen.getByRole('button', { name: 'Dispute with this evidence' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('What is wrong with the result'), { target: { value: 'The output file is empty.' } });
    const expected = buildEvidence({ chainId: 31337, jobMarket, jobId: '12', round: 1, manifestRoot: resultHash, reason: 'The output file is empty.' });
    expect(screen.getByTestId('dispute-reason-hash').textContent).toBe(expected.reasonHash);
    expect(submit.disabled).toBe(false);
    await act(async () => fireEvent.click(submit));
    // Kept in this browser before the transaction, so the buyer can hand it to the arbiter.
    expect(loadEvidence(expected.reasonHash)).toBe(expected.text);
  });

  it('offers nothing to someone who is not the buyer', async () => {
    await renderFor({ id: '12', round: 1, status: 'Completed', buyer: { id: '0x00000000000000000000000000000000000000b0' } } as unknown as JobDetail);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('button', { name: 'Dispute with this evidence' })).toBeNull();
  });
});
