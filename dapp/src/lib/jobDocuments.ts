// The buyer's own copy of an untracked job's document, kept in this browser's local storage at submission (only its
// hash is on-chain; the keeper and the routed provider hold the other copies). Keyed by chain, JobMarket and job id.
import { parseJobDocumentText, type ParsedJobDocument } from '@necto/keeper/domain';
import { canonicalJson } from './canonicalJson';

const PREFIX = 'necto:job-document';

export interface DocumentKey {
  chainId: number;
  jobMarket: string;
  jobId: string;
}

const keyOf = (k: DocumentKey) => `${PREFIX}:${k.chainId}:${k.jobMarket.toLowerCase()}:${k.jobId}`;

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null; // storage disabled (privacy mode)
  }
}

/** Saves the document's canonical text (the text its specHash commits to). Returns false when storage is unavailable. */
export function saveJobDocument(key: DocumentKey, document: unknown): boolean {
  const store = storage();
  if (!store) return false;
  try {
    store.setItem(keyOf(key), canonicalJson(document));
    return true;
  } catch {
    return false; // quota exceeded
  }
}

/** The saved document text, or null when this browser has none. */
export function loadJobDocumentText(key: DocumentKey): string | null {
  return storage()?.getItem(keyOf(key)) ?? null;
}

export function loadJobDocument(key: DocumentKey): (ParsedJobDocument & { text: string }) | null {
  const text = loadJobDocumentText(key);
  return text === null ? null : { ...parseJobDocumentText(text), text };
}
