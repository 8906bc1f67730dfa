import { shortAddress } from '../lib/format';

export function Address({ value, label }: { value: string; label?: string }) {
  return (
    <span className="mono" title={value}>
      {label ?? shortAddress(value)}
    </span>
  );
}
