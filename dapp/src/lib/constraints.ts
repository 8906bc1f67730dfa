// The routing engine's hard constraints, as a buyer reads them (the keeper's own words), and how to loosen each one.
import { CONSTRAINT_RELAX, constraintWords } from '@necto/keeper/domain';

export const constraintName = (c: string): string => constraintWords(c);

/** How a buyer can loosen a requirement that excluded offers (the job's spec is fixed once submitted). */
export const relaxHint = (c: string): string | null => (CONSTRAINT_RELAX as Record<string, string>)[c] ?? null;
