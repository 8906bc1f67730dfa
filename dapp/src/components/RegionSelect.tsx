import { REGIONS, isRegionId, regionName } from '../lib/regions';

/** A select over the canonical regions; a stored value outside the list (older data) stays selectable. */
export function RegionSelect({ value, onChange, ...props }: { value: string; onChange: (id: string) => void; id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) {
  return (
    <select {...props} value={value} onChange={(e) => onChange(e.target.value)}>
      {value && !isRegionId(value) && <option value={value}>{regionName(value)}</option>}
      {REGIONS.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name}
        </option>
      ))}
    </select>
  );
}
