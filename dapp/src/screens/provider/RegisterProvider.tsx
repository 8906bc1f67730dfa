import { useState } from 'react';
import { isAddress } from 'viem';
import { Field } from '../../components/Field';
import { RegionSelect } from '../../components/RegionSelect';
import { isRegionId } from '../../lib/regions';
import { TxStatusView } from '../../components/TxStatusView';
import { useProviderRegistryWrite } from '../../contracts/writes';

export function validateProvider(v: { name: string; region: string; payout: string; metadataURI: string }) {
  const errors: Partial<Record<keyof typeof v, string>> = {};
  if (!v.name.trim() || new TextEncoder().encode(v.name.trim()).length > 64) errors.name = 'Name must be 1–64 characters';
  if (!isRegionId(v.region)) errors.region = 'Pick a region from the list';
  if (!isAddress(v.payout)) errors.payout = 'Payout must be an address (0x…)';
  if (v.metadataURI.length > 256) errors.metadataURI = 'Metadata URI is too long';
  return errors;
}

export function RegisterProvider({ address, onDone }: { address: string; onDone: () => void }) {
  const registry = useProviderRegistryWrite();
  const [values, setValues] = useState({ name: '', region: 'us-east', payout: address, metadataURI: '' });
  const [touched, setTouched] = useState(false);
  const errors = touched ? validateProvider(values) : {};
  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [key]: e.target.value }));
  return (
    <form
      className="panel stack"
      aria-labelledby="register-title"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setTouched(true);
        if (Object.keys(validateProvider(values)).length) return;
        const receipt = await registry.write('registerProvider', [values.name.trim(), values.metadataURI.trim(), values.region.trim(), values.payout as `0x${string}`]);
        if (receipt) onDone();
      }}
    >
      <h2 id="register-title">Register as a provider</h2>
      <p className="muted small">Your wallet signs job starts and completions; earnings are credited to the payout address.</p>
      <div className="grid two">
        <Field label="Display name" error={errors.name}>{(p) => <input {...p} value={values.name} onChange={set('name')} placeholder="Acme GPU Cloud" />}</Field>
        <Field label="Home region" hint="Your offers default to it." error={errors.region}>{(p) => <RegionSelect {...p} value={values.region} onChange={(region) => setValues((v) => ({ ...v, region }))} />}</Field>
        <Field label="Payout address" error={errors.payout}>{(p) => <input {...p} className="mono" value={values.payout} onChange={set('payout')} />}</Field>
        <Field label="Metadata URI (optional)" error={errors.metadataURI}>{(p) => <input {...p} value={values.metadataURI} onChange={set('metadataURI')} placeholder="ipfs://…" />}</Field>
      </div>
      <button type="submit" className="primary" disabled={registry.busy}>Register provider</button>
      <TxStatusView status={registry.status} label="Registration" />
    </form>
  );
}
