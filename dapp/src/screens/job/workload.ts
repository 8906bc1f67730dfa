// What a job runs, read from its document text and checked against the on-chain specHash.
import { DEFAULT_OUTPUTS_PATH, parseJobDocumentText, specHashOfText } from '@necto/keeper/domain';

export type WorkloadSource = 'onchain' | 'local';

export interface Workload {
  source: WorkloadSource;
  /** The text hashes to the on-chain specHash. */
  hashMatches: boolean;
  /** The document follows the job document schema (an older or hand-written one may not). */
  valid: boolean;
  issues: string[];
  image: string | null;
  /** argv; null = the image's default command; a string for documents that gave a shell line. */
  command: string[] | string | null;
  /** Names only: values may be secrets. */
  envNames: string[];
  outputs: string;
  ports: Array<{ port: number; protocol: string }>;
  description: string | null;
}

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function describeWorkload(text: string, specHash: string, source: WorkloadSource): Workload {
  const hashMatches = specHashOfText(text).toLowerCase() === specHash.toLowerCase();
  const parsed = parseJobDocumentText(text);
  if (parsed.ok) {
    const d = parsed.document;
    return {
      source,
      hashMatches,
      valid: true,
      issues: [],
      image: d.image,
      command: d.command ?? null,
      envNames: Object.keys(d.env ?? {}).sort(),
      outputs: d.outputs ?? DEFAULT_OUTPUTS_PATH,
      ports: d.ports ?? [],
      description: d.description ?? null,
    };
  }
  // Show what can be read from a document that does not follow the schema, marked as such.
  let raw: Record<string, unknown> = {};
  try {
    raw = asRecord(JSON.parse(text));
  } catch {
    raw = {};
  }
  const command = Array.isArray(raw.command) && raw.command.every((c) => typeof c === 'string') ? (raw.command as string[]) : typeof raw.command === 'string' && raw.command ? raw.command : null;
  return {
    source,
    hashMatches,
    valid: false,
    issues: parsed.issues.map((i) => `${i.path}: ${i.message}`),
    image: typeof raw.image === 'string' && raw.image ? raw.image : null,
    command,
    envNames: Object.keys(asRecord(raw.env)).sort(),
    outputs: typeof raw.outputs === 'string' ? raw.outputs : DEFAULT_OUTPUTS_PATH,
    ports: [],
    description: typeof raw.description === 'string' ? raw.description : null,
  };
}

/** argv as a shell would show it (arguments with spaces or quotes single-quoted). */
export function shellLine(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}
