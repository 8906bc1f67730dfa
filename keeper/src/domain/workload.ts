/**
 * What an Akash deployment runs: the workload part of the buyer's job document (image, command, env, ports).
 * The same field rules as the job document (`jobDocumentSchema`): argv command, env names `[A-Z_][A-Z0-9_]*`
 * (≤ 64), ports exposed only when listed.
 */
import { z } from 'zod';

export const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

export const workloadSchema = z.object({
  image: z.string().trim().min(1).max(512),
  command: z.array(z.string().max(4_096)).max(256).optional(),
  env: z
    .record(z.string().regex(ENV_NAME, 'env names are [A-Z_][A-Z0-9_]*'), z.string().max(16_384))
    .refine((e) => Object.keys(e).length <= 64, 'at most 64 env entries')
    .optional(),
  ports: z
    .array(z.object({ port: z.number().int().min(1).max(65_535), protocol: z.enum(['tcp', 'udp']) }))
    .max(16)
    .optional(),
});

export type Workload = z.output<typeof workloadSchema>;

/** The workload named by a job document, or null when it names no image (the job cannot run on Akash). */
export function workloadOf(document: unknown): Workload | null {
  if (!document || typeof document !== 'object') return null;
  const d = document as Record<string, unknown>;
  const parsed = workloadSchema.safeParse({ image: d.image, command: d.command, env: d.env, ports: d.ports });
  return parsed.success ? parsed.data : null;
}
