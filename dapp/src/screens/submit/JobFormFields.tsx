import { useState } from 'react';
import { Field } from '../../components/Field';
import { connectKeplr } from '../../akash/keplr';
import type { TeamSummary } from '../../subgraph/queries';
import type { FormErrors, JobFormValues } from './jobForm';

function toggle(list: string[], item: string, on: boolean): string[] {
  return on ? [...new Set([...list, item])] : list.filter((x) => x !== item);
}

export interface Option {
  value: string;
  label: string;
}

function CheckList({ legend, options, selected, onChange, hint }: { legend: string; options: Array<string | Option>; selected: string[]; onChange: (next: string[]) => void; hint: string }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="checks">
        {options.map((option) => {
          const { value, label } = typeof option === 'string' ? { value: option, label: option } : option;
          return (
            <label key={value}>
              <input type="checkbox" checked={selected.includes(value)} onChange={(e) => onChange(toggle(selected, value, e.target.checked))} />
              {label}
            </label>
          );
        })}
      </div>
      <span className="hint small muted">{hint}</span>
    </fieldset>
  );
}

export function JobFormFields({
  values,
  errors,
  onChange,
  gpuOptions,
  regionOptions,
  teams,
}: {
  values: JobFormValues;
  errors: FormErrors;
  onChange: (patch: Partial<JobFormValues>) => void;
  gpuOptions: string[];
  regionOptions: Option[];
  teams: TeamSummary[];
}) {
  const text = (key: keyof JobFormValues, label: string, hint?: string, inputMode: 'numeric' | 'decimal' | 'text' = 'numeric') => (
    <Field label={label} hint={hint} error={errors[key]}>
      {(props) => <input {...props} inputMode={inputMode} value={values[key] as string} onChange={(e) => onChange({ [key]: e.target.value })} />}
    </Field>
  );
  return (
    <div className="stack">
      <CheckList legend="GPU models (any of)" options={gpuOptions} selected={values.gpuModels} onChange={(gpuModels) => onChange({ gpuModels })} hint="None selected means any model." />
      <div className="grid three">
        {text('gpuCount', 'GPU count')}
        {text('minVramGb', 'Min VRAM per GPU (GB)')}
        {text('durationHours', 'Duration (hours)', undefined, 'decimal')}
        {text('minVcpu', 'Min vCPU')}
        {text('minRamGb', 'Min RAM (GB)')}
        {text('maxPricePerGpuHour', 'Max price (USDC per GPU-hour)', undefined, 'decimal')}
      </div>
      <CheckList legend="Regions (allow-list)" options={regionOptions} selected={values.regions} onChange={(regions) => onChange({ regions })} hint="None selected means any region." />
      <div className="grid two">
        <Field label="Team" hint="Team jobs count against the team's spending cap." error={errors.teamId}>
          {(props) => (
            <select {...props} value={values.teamId} onChange={(e) => onChange({ teamId: e.target.value })}>
              <option value="">No team</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  #{t.id} {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('image', 'Container image', undefined, 'text')}
      </div>
      {text('command', 'Command', 'Kept in the job document; only its hash goes on-chain for untracked jobs.', 'text')}
      <fieldset>
        <legend>Options</legend>
        <div className="checks">
          <label>
            <input type="checkbox" checked={values.tracked} onChange={(e) => onChange({ tracked: e.target.checked })} />
            Tracked (publish the full spec on-chain)
          </label>
          <label>
            <input type="checkbox" checked={values.autoAccept} onChange={(e) => onChange({ autoAccept: e.target.checked })} />
            Auto-sign (the agent's route binds at once)
          </label>
          <label>
            <input type="checkbox" checked={values.allowExternal} onChange={(e) => onChange({ allowExternal: e.target.checked })} />
            Akash and other markets allowed
          </label>
        </div>
      </fieldset>
      {values.allowExternal && <AkashSignerField value={values.akashSigner} error={errors.akashSigner} onChange={(akashSigner) => onChange({ akashSigner })} />}
    </div>
  );
}

/** Optional: the buyer's own Akash address, to sign an Akash route with Keplr instead of the managed wallet. */
function AkashSignerField({ value, error, onChange }: { value: string; error: string | undefined; onChange: (v: string) => void }) {
  const [keplrError, setKeplrError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="stack">
      <Field label="Sign Akash deployments with Keplr (your Akash address)" hint="Leave empty to let the operator's managed wallet deploy an Akash route. With an address, you sign the deployment and lease yourself; the deposit comes from the operator's grant." error={error ?? keplrError ?? undefined}>
        {(props) => <input {...props} inputMode="text" placeholder="akash1…" value={value} onChange={(e) => onChange(e.target.value.trim())} />}
      </Field>
      <div>
        <button type="button" className="btn" disabled={busy} onClick={() => {
          setBusy(true);
          setKeplrError(null);
          // An Akash address is the same on every Akash chain (prefix akash, coin type 118): read it on akashnet-2.
          import('@necto/keeper/akash')
            .then(({ AKASH_MAINNET_CHAIN_ID }) => connectKeplr({ chainId: AKASH_MAINNET_CHAIN_ID, rest: 'https://api.akashnet.net', rpc: 'https://rpc.akashnet.net', name: 'Akash' }))
            .then((a) => onChange(a.address), (e: unknown) => setKeplrError(e instanceof Error ? e.message : String(e)))
            .finally(() => setBusy(false));
        }}>
          {busy ? 'Asking Keplr…' : 'Use my Keplr address'}
        </button>
      </div>
    </div>
  );
}
