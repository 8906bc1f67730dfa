import type { OfferInput } from '@necto/contracts';
import { parseUsdc } from '../../lib/format';
import { isRegionId } from '../../lib/regions';

export interface OfferFormValues {
  gpuModel: string;
  gpuCount: string;
  vramGb: string;
  vcpu: string;
  ramGb: string;
  region: string;
  pricePerGpuHour: string;
  availableUnits: string;
}

const whole = (s: string, min: number, max: number) => (/^\d+$/.test(s.trim()) && Number(s) >= min && Number(s) <= max ? Number(s) : null);

/** Validates an offer as ProviderRegistry.listOffer does (non-zero hardware and price, type ranges). */
export function validateOffer(v: OfferFormValues): { errors: Partial<Record<keyof OfferFormValues, string>>; offer?: OfferInput } {
  const errors: Partial<Record<keyof OfferFormValues, string>> = {};
  if (!v.gpuModel.trim() || v.gpuModel.trim().length > 64) errors.gpuModel = 'GPU model is required';
  const gpuCount = whole(v.gpuCount, 1, 65_535);
  if (gpuCount === null) errors.gpuCount = 'GPUs per machine: 1–65535';
  const vramGb = whole(v.vramGb, 1, 65_535);
  if (vramGb === null) errors.vramGb = 'VRAM per GPU: 1–65535 GB';
  const vcpu = whole(v.vcpu, 0, 65_535);
  if (vcpu === null) errors.vcpu = 'vCPU: 0–65535';
  const ramGb = whole(v.ramGb, 0, 4_294_967_295);
  if (ramGb === null) errors.ramGb = 'RAM must be a whole number of GB';
  if (!isRegionId(v.region.trim())) errors.region = 'Pick a region from the list';
  const price = parseUsdc(v.pricePerGpuHour);
  if (price === null || price <= 0n || price >= 2n ** 48n) errors.pricePerGpuHour = 'Price must be a USDC amount above zero';
  const units = whole(v.availableUnits, 0, 4_294_967_295);
  if (units === null) errors.availableUnits = 'Available machines must be a whole number';
  if (Object.keys(errors).length) return { errors };
  return {
    errors,
    offer: { gpuModel: v.gpuModel.trim(), gpuCount: gpuCount!, vramGb: vramGb!, vcpu: vcpu!, ramGb: ramGb!, region: v.region.trim(), pricePerGpuHour: Number(price), availableUnits: units! },
  };
}
