import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Client, Provider, fetchExchange } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigProvider } from '../config/context';
import { testConfig } from '../test/render';
import { useJob } from './hooks';

function wrapperFor(client: Client) {
  return ({ children }: { children: ReactNode }) => (
    <ConfigProvider config={testConfig}>
      <Provider value={client}>{children}</Provider>
    </ConfigProvider>
  );
}

const jobJson = {
  id: '1', status: 'RUNNING', buyer: { id: '0xb0' }, team: null, specHash: '0x01', tracked: true, autoAccept: true, allowExternal: true,
  maxPricePerGpuHour: '3000000', gpuCount: 1, duration: '7200', startBy: '1700003600', gpuModels: ['H100'], regions: [], minVramGb: 80, minVcpu: 8,
  minRamGb: 64, budget: '6000000', totalDeposited: '6000000', balance: '6000000', round: 1, currentRoute: null, routes: [], provider: null,
  market: null, externalId: null, pricePerGpuHour: '2100000', startDeadline: null, operator: null, submittedAt: '1700000000', routedAt: null,
  acceptedAt: null, startedAt: null, completedAt: null, settledAt: null, cancelledAt: null, expiredAt: null, disputedAt: null, resolvedAt: null,
  payout: '0', fee: '0', refund: '0', movements: [{ id: 'm1', kind: 'DEPOSIT', amount: '6000000', timestamp: '1700000000', txHash: '0xaa', account: { id: '0xb0' } }],
  activity: [],
};

afterEach(() => vi.unstubAllGlobals());

describe('useSubgraph / useJob', () => {
  it('queries graph-node and converts BigInt strings and enum names', async () => {
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) => {
      expect(JSON.parse(String(init?.body)).variables).toEqual({ id: '1' });
      return new Response(JSON.stringify({ data: { job: jobJson, protocol: null } }), { headers: { 'Content-Type': 'application/json' } });
    });
    vi.stubGlobal('fetch', fetchMock);
    const client = new Client({ url: testConfig.subgraphUrl, exchanges: [fetchExchange], requestPolicy: 'network-only' });
    const { result } = renderHook(() => useJob('1'), { wrapper: wrapperFor(client) });
    expect(result.current.state).toBe('loading');
    await waitFor(() => expect(result.current.state).toBe('ready'));
    const job = result.current.data!.job!;
    expect(job.status).toBe('Running');
    expect(job.budget).toBe(6_000_000n);
    expect(job.movements[0]!.amount).toBe(6_000_000n);
    expect(fetchMock.mock.calls[0]![0]).toBe(testConfig.subgraphUrl);
  });

  it('turns an unreachable subgraph into an error state', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const client = new Client({ url: testConfig.subgraphUrl, exchanges: [fetchExchange] });
    const { result } = renderHook(() => useJob('1'), { wrapper: wrapperFor(client) });
    await waitFor(() => expect(result.current.state).toBe('error'));
    expect(result.current.error).toMatch(/unreachable/);
  });

  it('reports data that does not match the schema', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ data: { job: { ...jobJson, budget: 'lots' }, protocol: null } }), { headers: { 'Content-Type': 'application/json' } })));
    const client = new Client({ url: testConfig.subgraphUrl, exchanges: [fetchExchange] });
    const { result } = renderHook(() => useJob('1'), { wrapper: wrapperFor(client) });
    await waitFor(() => expect(result.current.state).toBe('error'));
    expect(result.current.error).toMatch(/Unexpected subgraph data: job.budget/);
  });
});
