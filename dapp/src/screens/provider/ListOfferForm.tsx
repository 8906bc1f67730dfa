import { useState } from 'react';
import { Field } from '../../components/Field';
import { RegionSelect } from '../../components/RegionSelect';
import { TxStatusView } from '../../components/TxStatusView';
import { useProviderRegistryWrite } from '../../contracts/writes';
import { validateOffer, type OfferFormValues } from './offerForm';

const INITIAL: OfferFormValues = { gpuModel: 'H100', gpuCount: '8', vramGb: '80', vcpu: '64', ramGb: '512', region: 'us-east', pricePerGpuHour: '2.10', availableUnits: '2' };

const LABELS: Record<keyof OfferFormValues, string> = {
  gpuModel: 'GPU model', gpuCount: 'GPUs per machine', vramGb: 'VRAM per GPU (GB)', vcpu: 'vCPU', ramGb: 'RAM (GB)', region: 'Region',
  pricePerGpuHour: 'Price (USDC per GPU-hour)', availableUnits: 'Machines available',
};

/** `defaultRegion`: the provider's home region, where most of its offers are. */
export function ListOfferForm({ onDone, defaultRegion }: { onDone: () => void; defaultRegion?: string }) {
  const registry = useProviderRegistryWrite();
  const [values, setValues] = useState<OfferFormValues>({ ...INITIAL, region: defaultRegion || INITIAL.region });
  const [touched, setTouched] = useState(false);
  const { errors, offer } = validateOffer(values);
  return (
    <form
      className="stack"
      aria-label="List an offer"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setTouched(true);
        if (!offer) return;
        if (await registry.write('listOffer', [offer])) onDone();
      }}
    >
      <div className="grid three">
        {(Object.keys(LABELS) as (keyof OfferFormValues)[]).map((key) => (
          <Field key={key} label={LABELS[key]} error={touched ? errors[key] : undefined}>
            {(p) =>
              key === 'region' ? (
                <RegionSelect {...p} value={values.region} onChange={(region) => setValues((v) => ({ ...v, region }))} />
              ) : (
                <input {...p} value={values[key]} onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))} />
              )
            }
          </Field>
        ))}
      </div>
      <button type="submit" className="primary" disabled={registry.busy}>List offer</button>
      <TxStatusView status={registry.status} label="Listing" />
    </form>
  );
}
