import { z } from 'zod';
import { jobStatusName, providerStatusName } from '../lib/jobStatus';

/** graph-node BigInt (a decimal string) → bigint. */
export const bigIntScalar = z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform((v) => BigInt(v));
/** BigDecimal (a decimal string) → number, for ratios. */
export const bigDecimalScalar = z.union([z.string(), z.number()]).transform((v) => Number(v));
export const bytesScalar = z.string().regex(/^0x[0-9a-fA-F]*$/);
export const jobStatusScalar = z.string().transform(jobStatusName);
export const providerStatusScalar = z.string().transform(providerStatusName);
