// The submit form's values, validation and the on-chain JobSpec built from them. Pure functions, unit tested.
import { keccak256, stringToHex } from 'viem';
import { z } from 'zod';
import type { JobSpec } from '@necto/contracts';
import { akashAddressSchema, imageRefSchema } from '@necto/keeper/domain';
import { splitCommandLine } from '../../lib/argv';
import { canonicalJson } from '../../lib/canonicalJson';
import { parseUsdc, requiredBudget } from '../../lib/format';

export interface JobFormValues {
  gpuModels: string[];
  gpuCount: string;
  minVramGb: string;
  minVcpu: string;
  minRamGb: string;
  regions: string[];
  durationHours: string;
  maxPricePerGpuHour: string;
  teamId: string;
  tracked: boolean;
  autoAccept: boolean;
  allowExternal: boolean;
  image: string;
  command: string;
  /** The buyer's Akash address when they sign an Akash route with Keplr ('' = the operator's managed wallet). */
  akashSigner: string;
}

export const DEFAULT_FORM: JobFormValues = {
  gpuModels: ['H100'],
  gpuCount: '1',
  minVramGb: '80',
  minVcpu: '8',
  minRamGb: '64',
  regions: [],
  durationHours: '2',
  maxPricePerGpuHour: '3.00',
  teamId: '',
  tracked: true,
  autoAccept: true,
  allowExternal: true,
  image: 'pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime',
  command: 'python train.py',
  akashSigner: '',
};

export interface ValidJob {
  /** The on-chain DataTypes.JobSpec. */
  spec: JobSpec;
  /** The off-chain job document whose canonical JSON keccak256 is `spec.specHash`. */
  document: Record<string, unknown>;
  budget: bigint;
  durationSec: number;
}

export type FormErrors = Partial<Record<keyof JobFormValues, string>>;

const int = (min: number, max: number, label: string) =>
  z.string().trim().regex(/^\d+$/, `${label} must be a whole number`).transform(Number).pipe(z.number().min(min, `${label} must be at least ${min}`).max(max, `${label} must be at most ${max}`));

const FormSchema = z.object({
  gpuModels: z.array(z.string().trim().min(1).max(64)).max(32, 'At most 32 GPU models'),
  gpuCount: int(1, 1024, 'GPU count'),
  minVramGb: int(0, 65_535, 'VRAM'),
  minVcpu: int(0, 65_535, 'vCPU'),
  minRamGb: int(0, 4_294_967_295, 'RAM'),
  regions: z.array(z.string().trim().min(1).max(32)).max(64, 'At most 64 regions'),
  durationHours: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'Duration must be a number of hours')
    .transform(Number)
    .pipe(z.number().min(1 / 60, 'Duration must be at least 1 minute').max(24 * 365, 'Duration must be at most a year')),
  maxPricePerGpuHour: z
    .string()
    .transform((s, ctx) => {
      const v = parseUsdc(s);
      if (v === null) {
        ctx.addIssue({ code: 'custom', message: 'Max price must be a USDC amount, e.g. 2.50' });
        return z.NEVER;
      }
      return v;
    })
    .pipe(z.bigint().min(1n, 'Max price must be greater than zero').max(2n ** 48n - 1n, 'Max price is too large')),
  teamId: z.string().regex(/^\d*$/, 'Pick a team'),
  tracked: z.boolean(),
  autoAccept: z.boolean(),
  allowExternal: z.boolean(),
  image: z
    .string()
    .trim()
    .min(1, 'Enter the container image to run, e.g. pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime')
    .max(512, 'Image reference is too long')
    .pipe(imageRefSchema),
  akashSigner: z.union([z.literal(''), akashAddressSchema]),
  command: z
    .string()
    .max(4096, 'Command is too long')
    .superRefine((line, ctx) => {
      try {
        splitCommandLine(line);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
});

/** Validates the form; returns field errors, or the JobSpec, document and budget to submit. */
export function validateJobForm(values: JobFormValues, now: number = Math.floor(Date.now() / 1000)): { errors: FormErrors; job?: ValidJob } {
  const parsed = FormSchema.safeParse(values);
  if (!parsed.success) {
    const errors: FormErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof JobFormValues;
      errors[key] ??= issue.message;
    }
    return { errors };
  }
  const v = parsed.data;
  const durationSec = Math.round(v.durationHours * 3600);
  const budget = requiredBudget(v.maxPricePerGpuHour, v.gpuCount, durationSec);
  // A job's escrowed balance is stored in 64 bits.
  if (budget >= 2n ** 64n) return { errors: { maxPricePerGpuHour: 'The budget is too large' } };
  const teamId = v.teamId === '' ? 0 : Number(v.teamId);
  const dedupe = (list: string[]) => [...new Set(list.map((s) => s.trim()).filter(Boolean))];
  const gpuModels = dedupe(v.gpuModels);
  const regions = dedupe(v.regions);
  const document = {
    schema: 'necto.job/1',
    image: v.image,
    // argv, as the job document carries it (absent: the image's default command).
    ...(v.command.trim() ? { command: splitCommandLine(v.command) } : {}),
    gpuModels,
    gpuCount: v.gpuCount,
    minVramGb: v.minVramGb,
    minVcpu: v.minVcpu,
    minRamGb: v.minRamGb,
    regions,
    durationSec,
    maxPricePerGpuHour: v.maxPricePerGpuHour.toString(),
    allowExternal: v.allowExternal,
    // An Akash route is signed by the buyer's own wallet (Keplr) instead of the operator's managed wallet.
    ...(v.allowExternal && v.akashSigner ? { akashSigner: v.akashSigner } : {}),
    teamId,
    // Two equal drafts still get distinct spec hashes.
    createdAt: now,
  };
  const documentJson = canonicalJson(document);
  const specHash = keccak256(stringToHex(documentJson));
  return {
    errors: {},
    job: {
      document,
      budget,
      durationSec,
      spec: {
        specHash,
        maxPricePerGpuHour: Number(v.maxPricePerGpuHour),
        duration: durationSec,
        gpuCount: v.gpuCount,
        minVramGb: v.minVramGb,
        minVcpu: v.minVcpu,
        minRamGb: v.minRamGb,
        teamId,
        startBy: 0,
        autoAccept: v.autoAccept,
        tracked: v.tracked,
        allowExternal: v.allowExternal,
        gpuModels,
        regions,
        document: v.tracked ? documentJson : '',
      },
    },
  };
}
