import { useState } from 'react';
import { TxStatusView } from '../../components/TxStatusView';
import { useProviderRegistryWrite } from '../../contracts/writes';
import { formatPricePerGpuHour, formatUsdc, parseUsdc } from '../../lib/format';
import { regionName } from '../../lib/regions';
import type { Offer } from '../../subgraph/queries';

function OfferRow({ offer, onDone, registry }: { offer: Offer; onDone: () => void; registry: ReturnType<typeof useProviderRegistryWrite> }) {
  const [price, setPrice] = useState(formatUsdc(offer.pricePerGpuHour, { maxDecimals: 6, symbol: false }).replace(/,/g, ''));
  const [units, setUnits] = useState(String(offer.availableUnits));
  const parsedPrice = parseUsdc(price);
  const id = offer.offerId;
  const act = async (p: Promise<unknown>) => {
    if (await p) onDone();
  };
  return (
    <tr>
      <td>#{offer.id}</td>
      <td>
        {offer.gpuCount}× {offer.gpuModel} · {offer.vramGb} GB
        <div className="small muted">{offer.vcpu} vCPU · {offer.ramGb} GB RAM</div>
      </td>
      <td>{regionName(offer.region)}</td>
      <td>
        {formatPricePerGpuHour(offer.pricePerGpuHour)}
        <div className="row" style={{ marginTop: 4 }}>
          <input aria-label={`New price for offer ${offer.id}`} value={price} onChange={(e) => setPrice(e.target.value)} style={{ width: '6.5rem' }} inputMode="decimal" />
          <button type="button" disabled={registry.busy || parsedPrice === null || parsedPrice <= 0n || parsedPrice === offer.pricePerGpuHour} onClick={() => act(registry.write('repriceOffer', [id, Number(parsedPrice)]))}>
            Reprice
          </button>
        </div>
      </td>
      <td>
        {offer.availableUnits}
        <div className="row" style={{ marginTop: 4 }}>
          <input aria-label={`Capacity of offer ${offer.id}`} value={units} onChange={(e) => setUnits(e.target.value)} style={{ width: '4.5rem' }} inputMode="numeric" />
          <button type="button" disabled={registry.busy || !/^\d+$/.test(units) || Number(units) === offer.availableUnits} onClick={() => act(registry.write('setOfferCapacity', [id, Number(units)]))}>
            Set
          </button>
        </div>
      </td>
      <td>
        <span className={`badge ${offer.active ? 'ok' : 'bad'}`}>{offer.active ? 'active' : 'inactive'}</span>
        <div style={{ marginTop: 4 }}>
          <button type="button" disabled={registry.busy} onClick={() => act(registry.write('setOfferActive', [id, !offer.active]))}>
            {offer.active ? 'Deactivate' : 'Activate'}
          </button>
        </div>
      </td>
      <td className="num">{offer.jobsRouted}</td>
    </tr>
  );
}

export function OffersTable({ offers, onDone }: { offers: readonly Offer[]; onDone: () => void }) {
  const registry = useProviderRegistryWrite();
  if (offers.length === 0) return <div className="empty">No offers yet. List your hardware below.</div>;
  return (
    <div className="stack">
      <div className="table-wrap" tabIndex={0}>
        <table aria-label="My offers">
          <thead>
            <tr>
              <th scope="col">Offer</th>
              <th scope="col">Hardware</th>
              <th scope="col">Region</th>
              <th scope="col">Price</th>
              <th scope="col">Capacity</th>
              <th scope="col">State</th>
              <th scope="col" className="num">Jobs</th>
            </tr>
          </thead>
          <tbody>
            {offers.map((offer) => (
              <OfferRow key={offer.id} offer={offer} onDone={onDone} registry={registry} />
            ))}
          </tbody>
        </table>
      </div>
      <TxStatusView status={registry.status} label="Offer update" />
    </div>
  );
}
