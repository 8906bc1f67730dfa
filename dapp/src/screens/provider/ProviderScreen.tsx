import { useState } from 'react';
import { useAccount } from 'wagmi';
import { ConnectPrompt } from '../../components/ConnectPrompt';
import { JobsTable } from '../../components/JobsTable';
import { ErrorNotice, Loading } from '../../components/States';
import { TxStatusView } from '../../components/TxStatusView';
import { useProviderRegistryWrite } from '../../contracts/writes';
import { formatTimestamp } from '../../lib/format';
import { AgentPanel, agentStepFor } from '../../provider-agent/AgentPanel';
import { regionName } from '../../lib/regions';
import { useProvider } from '../../subgraph/hooks';
import { PriceHistory } from '../../components/charts/PriceHistory';
import { Earnings } from './Earnings';
import { ListOfferForm } from './ListOfferForm';
import { OffersTable } from './OffersTable';
import { RegisterProvider } from './RegisterProvider';

export default function ProviderScreen() {
  const { address } = useAccount();
  const result = useProvider(address);
  const registry = useProviderRegistryWrite();
  const [justRegistered, setJustRegistered] = useState(false);
  if (!address)
    return (
      <section>
        <h1>Provider</h1>
        <ConnectPrompt what="register as a provider or manage your offers" />
      </section>
    );
  if (result.state === 'loading' || (result.state === 'error' && !result.data))
    return (
      <section>
        <h1>Provider</h1>
        {result.state === 'loading' ? <Loading label="Loading provider" lines={5} /> : <ErrorNotice message={result.error} onRetry={result.refetch} />}
      </section>
    );
  const provider = result.data?.provider ?? null;
  if (!provider)
    return (
      <section>
        <h1>Provider</h1>
        {justRegistered ? (
          <div className="notice pending" role="status">Registered. Waiting for the subgraph to index your provider…</div>
        ) : (
          <RegisterProvider address={address} onDone={() => { setJustRegistered(true); result.refetch(); }} />
        )}
      </section>
    );
  const jobs = result.data?.jobs ?? [];
  const paused = provider.status === 'Paused';
  return (
    <section>
      <div className="spread">
        <h1>
          {provider.name} <span className={`badge ${provider.status === 'Active' ? 'ok' : 'warn'}`}>{provider.status}</span>
        </h1>
        {(provider.status === 'Active' || paused) && (
          <button type="button" disabled={registry.busy} onClick={async () => { if (await registry.write('setPaused', [!paused])) result.refetch(); }}>
            {paused ? 'Resume' : 'Pause'} provider
          </button>
        )}
      </div>
      <p className="small muted">
        {regionName(provider.region)} · registered {formatTimestamp(provider.registeredAt)} · payout <span className="mono">{provider.payout}</span>
      </p>
      <TxStatusView status={registry.status} label="Provider status" />
      {result.state === 'error' && <ErrorNotice title="Showing the last data received" message={result.error} />}
      <div className="panel">
        <h2>Offers</h2>
        <OffersTable offers={provider.offers} onDone={result.refetch} />
        <details style={{ marginTop: '1rem' }} open={provider.offers.length === 0}>
          <summary>List a new offer</summary>
          <div style={{ marginTop: '0.75rem' }}>
            <ListOfferForm onDone={result.refetch} defaultRegion={provider.region} />
          </div>
        </details>
      </div>
      <AgentPanel address={address} offers={provider.offers} />
      <div className="panel" aria-labelledby="price-history-title">
        <h2 id="price-history-title">Price history</h2>
        <PriceHistory
          title="Price per GPU-hour of each offer over time, USD"
          series={provider.offers.map((o) => ({
            label: `#${o.id} ${o.gpuCount}× ${o.gpuModel}`,
            points: (o.priceHistory ?? []).map((p) => ({ timestamp: Number(p.timestamp), price: p.pricePerGpuHour })),
          }))}
        />
      </div>
      <div className="panel">
        <h2>Routed jobs</h2>
        {jobs.length === 0 ? (
          <div className="empty">No job routed to you yet.</div>
        ) : (
          <JobsTable jobs={jobs} label="Jobs routed to me" extra={{ header: 'Agent', cell: (job) => <span className="small muted">{agentStepFor(job.status)}</span> }} />
        )}
      </div>
      <Earnings provider={provider} jobs={jobs} />
    </section>
  );
}
