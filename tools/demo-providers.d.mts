export interface DemoOffer { gpuModel: string; gpuCount: number; vramGb: number; vcpu: number; ramGb: number; region: string; price: number; units: number }
export interface DemoProvider { account: number; name: string; region: string; offers: DemoOffer[] }
export const DEMO_PROVIDERS: DemoProvider[];
export function priceUnits(price: number): number;
