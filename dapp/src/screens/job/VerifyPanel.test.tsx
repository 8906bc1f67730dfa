import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemData } from '@0glabs/0g-ts-sdk';
import { keccak256 } from 'viem';
import { canonicalJson } from '../../lib/canonicalJson';
import { renderWithConfig } from '../../test/render';
import { VerifyPanel } from './VerifyPanel';
import { verifyDecisionLog } from './verifyDecision';

const providerRef = `0x000000000000000000000000${'ab'.repeat(20)}`;
const log = {
  schema: 'necto.reasoning-log/1',
  jobKey: 'job:1',
  createdAt: 1_700_000_000,
  model: { kind: 'local', name: 'offline-router' },
  choice: { candidateId: 'onchain:1', market: 'onchain', externalId: '', offerId: '1', providerRef, pricePerGpuHour: '2100000', totalCost: '4200000' },
  ranked: [{ candidateId: 'onchain:1', rank: 1 }],
  // Big enough to span several 0G chunks.
  steps: Array.from({ length: 40 }, (_, i) => ({ seq: i, kind: 'thought', title: `step ${i}`, detail: 'x'.repeat(50) })),
};
const bytes = new TextEncoder().encode(canonicalJson(log));
let route: { jobId: string; logRoot: string; decisionHash: string; providerRef: string; pricePerGpuHour: bigint };

beforeAll(async () => {
  // The on-chain values as the keeper commits them: the root from the 0G SDK itself.
  const [tree, err] = await new MemData(bytes).merkleTree();
  if (err || !tree) throw err;
  route = { jobId: '1', logRoot: tree.rootHash()!, decisionHash: keccak256(bytes), providerRef, pricePerGpuHour: 2_100_000n };
});

afterEach(() => vi.unstubAllGlobals());

function serve(body: Uint8Array) {
  const fetchMock = vi.fn(async () => new Response(body as BodyInit, { status: 200, headers: { 'Content-Type': 'application/json' } }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('verifyDecisionLog', () => {
  it('passes every check for the committed log', () => {
    const result = verifyDecisionLog(bytes, route);
    expect(result.passed).toBe(true);
    expect(result.computedRoot).toBe(route.logRoot);
  });

  it('fails the hash checks when one byte changes', () => {
    const tampered = new TextEncoder().encode(canonicalJson({ ...log, createdAt: 1_700_000_001 }));
    const result = verifyDecisionLog(tampered, route);
    expect(result.passed).toBe(false);
    expect(result.checks.find((c) => c.id === 'logRoot')!.passed).toBe(false);
    expect(result.checks.find((c) => c.id === 'decisionHash')!.passed).toBe(false);
    expect(result.checks.find((c) => c.id === 'jobKey')!.passed).toBe(true);
  });

  it('fails the choice check when the log names another provider', () => {
    const result = verifyDecisionLog(bytes, { ...route, providerRef: `0x${'11'.repeat(32)}` });
    expect(result.checks.find((c) => c.id === 'choice')!.passed).toBe(false);
  });

  it('handles bytes that are not JSON', () => {
    const result = verifyDecisionLog(new Uint8Array([0xff, 0xfe, 0x00]), route);
    expect(result.passed).toBe(false);
    expect(result.checks.find((c) => c.id === 'jobKey')!.actual).toBe('unreadable log');
  });
});

describe('<VerifyPanel>', () => {
  it('fetches the log by its root and shows every check passed', async () => {
    const fetchMock = serve(bytes);
    renderWithConfig(<VerifyPanel route={route} />);
    fireEvent.click(screen.getByRole('button', { name: 'Verify decision' }));
    const result = await screen.findByTestId('verify-result');
    expect(fetchMock).toHaveBeenCalledWith(`http://keeper.test/logs/${route.logRoot}`, expect.anything());
    expect(result.dataset.verified).toBe('true');
    expect(within(result).queryByText(/Verified: the log matches/)).not.toBeNull();
    expect(within(result).getAllByText('passed')).toHaveLength(4);
  });

  it('shows the failed checks for a tampered log', async () => {
    const tampered = bytes.slice();
    tampered[bytes.length - 10] = 0x41; // change one character inside a step
    serve(tampered);
    renderWithConfig(<VerifyPanel route={route} />);
    fireEvent.click(screen.getByRole('button', { name: 'Verify decision' }));
    const result = await screen.findByTestId('verify-result');
    expect(result.dataset.verified).toBe('false');
    expect(within(result).queryByText(/Verification failed/)).not.toBeNull();
    expect(result.querySelector('[data-check="logRoot"]')!.getAttribute('data-passed')).toBe('false');
    expect(result.querySelector('[data-check="decisionHash"]')!.getAttribute('data-passed')).toBe('false');
  });

  it('shows the committed choice in dollars, not base units or padded bytes32', () => {
    const check = verifyDecisionLog(bytes, route).checks.find((c) => c.id === 'choice')!;
    expect(check.expected).toBe(`0x${'ab'.repeat(20)} @ $2.10/GPU·h`);
  });

  it('verifies a log fetched from any URL, with {root} replaced', async () => {
    const fetchMock = serve(bytes);
    renderWithConfig(<VerifyPanel route={route} />);
    fireEvent.click(screen.getByLabelText(/A URL/));
    fireEvent.change(screen.getByLabelText('Log URL'), { target: { value: 'https://gateway.test/file?root={root}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify decision' }));
    const result = await screen.findByTestId('verify-result');
    expect(fetchMock).toHaveBeenCalledWith(`https://gateway.test/file?root=${route.logRoot}`);
    expect(result.dataset.verified).toBe('true');
    expect(result.textContent).toMatch(/from gateway\.test/);
  });

  it('verifies a log file the person has, without any server', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    renderWithConfig(<VerifyPanel route={route} />);
    fireEvent.click(screen.getByLabelText(/A file/));
    const file = new File([bytes as BlobPart], 'log.json', { type: 'application/json' });
    fireEvent.change(screen.getByLabelText('Reasoning log file'), { target: { files: [file] } });
    const result = await screen.findByTestId('verify-result');
    expect(result.dataset.verified).toBe('true');
    expect(fetchMock).not.toHaveBeenCalled();
    const tampered = new File([new TextEncoder().encode(canonicalJson({ ...log, createdAt: 1 })) as BlobPart], 'other.json');
    fireEvent.change(screen.getByLabelText('Reasoning log file'), { target: { files: [tampered] } });
    await waitFor(() => expect(screen.getByTestId('verify-result').dataset.verified).toBe('false'));
  });

  it('reports a keeper that does not know the root', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: { code: 'unknown_log', message: 'no reasoning log with root 0x…' } }), { status: 404 })));
    renderWithConfig(<VerifyPanel route={route} />);
    fireEvent.click(screen.getByRole('button', { name: 'Verify decision' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/no reasoning log/));
  });
});
