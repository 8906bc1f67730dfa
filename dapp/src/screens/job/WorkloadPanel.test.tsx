import { getDeployment } from '@necto/contracts';
import { jobDocumentText, specHashOfText } from '@necto/keeper/domain';
import { render, screen } from '@testing-library/react';
import { Client, Provider, fetchExchange } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigProvider } from '../../config/context';
import { saveJobDocument } from '../../lib/jobDocuments';
import type { JobDetail } from '../../subgraph/queries';
import { testConfig } from '../../test/render';
import { WorkloadPanel } from './WorkloadPanel';

const document = { image: 'ghcr.io/acme/llama-finetune:0.3', command: ['python', 'finetune.py'], env: { HF_TOKEN: 'hf_secret' } };
const text = jobDocumentText(document);
const jobOf = (id: string, tracked: boolean) => ({ id, tracked, specHash: specHashOfText(text) }) as unknown as JobDetail;

function renderPanel(job: JobDetail) {
  const client = new Client({ url: testConfig.subgraphUrl, exchanges: [fetchExchange], requestPolicy: 'network-only' });
  return render(
    <ConfigProvider config={testConfig}>
      <Provider value={client}>
        <WorkloadPanel job={job} />
      </Provider>
    </ConfigProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('WorkloadPanel', () => {
  it('shows an untracked job from the buyer’s own copy, never the env values', () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new Error('an untracked job reads no document from the network'); }));
    saveJobDocument({ chainId: testConfig.chainId, jobMarket: getDeployment(31337).contracts.JobMarket, jobId: '5' }, document);
    renderPanel(jobOf('5', false));
    const panel = screen.getByTestId('workload');
    expect(panel.getAttribute('data-source')).toBe('local');
    expect(panel.getAttribute('data-hash-matches')).toBe('true');
    expect(screen.getByText(/your copy of the document/)).toBeInstanceOf(HTMLElement);
    expect(screen.getByText('ghcr.io/acme/llama-finetune:0.3')).toBeInstanceOf(HTMLElement);
    expect(screen.getByText('python finetune.py')).toBeInstanceOf(HTMLElement);
    expect(screen.getByText('HF_TOKEN')).toBeInstanceOf(HTMLElement);
    expect(panel.textContent).not.toContain('hf_secret');
  });

  it('says so when this browser has no copy of an untracked document', () => {
    renderPanel(jobOf('6', false));
    expect(screen.getByText(/this browser holds no copy/)).toBeInstanceOf(HTMLElement);
  });

  it('shows a tracked job from the document the subgraph indexed', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ data: { job: { id: '7', document: text } } })));
    renderPanel(jobOf('7', true));
    const panel = await screen.findByTestId('workload');
    expect(panel.getAttribute('data-source')).toBe('onchain');
    expect(screen.getByText(/published on-chain/)).toBeInstanceOf(HTMLElement);
    expect(screen.getByText('matches the on-chain specHash')).toBeInstanceOf(HTMLElement);
  });
});
