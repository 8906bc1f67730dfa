import { getDeployment } from '@necto/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Client, Provider, fetchExchange } from 'urql';
import { getAddress, http } from 'viem';
import { foundry } from 'viem/chains';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConfig, WagmiProvider } from 'wagmi';
import { connect } from 'wagmi/actions';

// The wallet's EIP-712 signature (the mock connector has no signer): recorded, with a fixed signature.
const signed = vi.hoisted(() => [] as Array<{ primaryType: string; message: Record<string, unknown> }>);
vi.mock('wagmi/actions', async (original) => ({
  ...(await original<typeof import('wagmi/actions')>()),
  signTypedData: async (_config: unknown, typed: { primaryType: string; message: Record<string, unknown> }) => {
    signed.push(typed);
    return `0x${'11'.repeat(65)}`;
  },
}));
import { mock } from 'wagmi/connectors';
import { ConfigProvider } from '../../config/context';
import type { JobDetail } from '../../subgraph/queries';
import { testConfig } from '../../test/render';
import { buildEvidence, loadEvidence } from './disputeEvidence';
import { DisputePanel } from './DisputePanel';

const buyer = '0x70997970C51812dc3A010C7d01b50e20d17dc79C';
const resultHash = `0x${'ab'.repeat(32)}`;
const jobMarket = getDeployment(31337).contracts.JobMarket;

const uploads: Array<{ url: string; headers: Record<string, string>; body: string }> = [];

afterEach(() => {
  signed.length = 0;
  uploads.length = 0;
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

async function renderFor(job: JobDetail, keeper: { refuse?: boolean } = {}) {
  vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input) === `${testConfig.keeperUrl}/content` && init?.method === 'POST') {
      const headers = init.headers as Record<string, string>;
      uploads.push({ url: String(input), headers, body: new TextDecoder().decode(init.body as Uint8Array) });
      if (keeper.refuse) return Response.json({ error: { code: 'not_registered', message: 'not the buyer of this job' } }, { status: 403 });
      return Response.json({ status: 'stored', root: headers['X-Content-Root'], bytes: 1 }, { status: 201 });
    }
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
    // And stored for the arbiter: the buyer signs a ContentUpload of the evidence's root, the keeper gets the text.
    expect(signed).toHaveLength(1);
    expect(signed[0]).toMatchObject({ primaryType: 'ContentUpload', message: { root: expected.reasonHash, uploader: getAddress(buyer) } });
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.body).toBe(expected.text);
    expect(uploads[0]!.headers).toMatchObject({ 'X-Content-Root': expected.reasonHash, 'X-Necto-Requester': getAddress(buyer), 'X-Necto-Signature': `0x${'11'.repeat(65)}` });
  });

  it('says when the evidence could not be stored for the arbiter, and still sends the dispute', async () => {
    await renderFor({ id: '12', round: 1, status: 'Completed', buyer: { id: buyer.toLowerCase() } } as unknown as JobDetail, { refuse: true });
    expect(await screen.findByText(resultHash)).toBeInstanceOf(HTMLElement);
    fireEvent.change(screen.getByLabelText('What is wrong with the result'), { target: { value: 'The output file is empty.' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Dispute with this evidence' })));
    expect(uploads).toHaveLength(1);
    expect((await screen.findByTestId('evidence-upload-failed')).textContent).toContain('not the buyer of this job');
    // The transaction was still attempted (this test has no node, so it fails after the simulation).
    await waitFor(() => expect(document.querySelector('[data-tx-phase="failed"]')).not.toBeNull(), { timeout: 15_000 });
  });

  it('offers nothing to someone who is not the buyer', async () => {
    await renderFor({ id: '12', round: 1, status: 'Completed', buyer: { id: '0x00000000000000000000000000000000000000b0' } } as unknown as JobDetail);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('button', { name: 'Dispute with this evidence' })).toBeNull();
  });
});
