// What GPUs this machine has (nvidia-smi), and how the declared offers compare with it.
import { spawnSync } from 'node:child_process';
import type { OfferConfig } from './schema.js';

export interface DetectedGpu {
  name: string;
  memoryMiB: number;
}

export type Hardware = { source: 'nvidia-smi'; gpus: DetectedGpu[] } | { source: 'declared'; reason: string };

/** Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader` ("NVIDIA H100 80GB HBM3, 81559 MiB"). */
export function parseNvidiaSmi(output: string): DetectedGpu[] {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const comma = line.lastIndexOf(',');
      const name = line.slice(0, comma).trim();
      const mem = /(\d+)\s*MiB/i.exec(line.slice(comma + 1));
      if (comma < 0 || !name || !mem) throw new Error(`unexpected nvidia-smi line: ${line}`);
      return { name, memoryMiB: Number(mem[1]) };
    });
}

export function detectHardware(command = 'nvidia-smi'): Hardware {
  const r = spawnSync(command, ['--query-gpu=name,memory.total', '--format=csv,noheader'], { encoding: 'utf8', timeout: 15_000 });
  if (r.error) return { source: 'declared', reason: `${command} not available (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.status !== 0) return { source: 'declared', reason: `${command} exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 200)}` };
  try {
    return { source: 'nvidia-smi', gpus: parseNvidiaSmi(r.stdout) };
  } catch (err) {
    return { source: 'declared', reason: (err as Error).message };
  }
}

/** "NVIDIA A100-SXM4-80GB" matches the model "a100"; spaces, dashes and case do not matter. */
export function modelMatches(detectedName: string, gpuModel: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/^nvidia\s+/, '').replace(/[\s_-]+/g, '');
  return norm(detectedName).includes(norm(gpuModel));
}

/** Where a declared offer promises more than the machine has (empty when it fits or nothing was detected). */
export function hardwareMismatches(hardware: Hardware, offers: OfferConfig[]): string[] {
  if (hardware.source !== 'nvidia-smi') return [];
  const problems: string[] = [];
  for (const offer of offers) {
    const matching = hardware.gpus.filter((g) => modelMatches(g.name, offer.gpuModel));
    const label = `offer ${offer.gpuModel} x${offer.gpuCount} (${offer.region})`;
    if (matching.length === 0) {
      problems.push(`${label}: no ${offer.gpuModel} detected (found ${hardware.gpus.map((g) => g.name).join(', ') || 'no GPU'})`);
      continue;
    }
    if (matching.length < offer.gpuCount * Math.max(offer.units, 1)) {
      problems.push(`${label}: ${offer.units} unit(s) of ${offer.gpuCount} GPU need ${offer.gpuCount * offer.units}, ${matching.length} detected`);
    }
    const minVramGb = Math.min(...matching.map((g) => Math.floor(g.memoryMiB / 1024)));
    // nvidia-smi reports usable memory, a little under the marketing size (80 GB cards show ~79.6 GiB).
    if (offer.vramGb > Math.ceil((minVramGb + 1) * 1.05)) problems.push(`${label}: declares ${offer.vramGb} GB VRAM, detected ${minVramGb} GiB`);
  }
  return problems;
}
