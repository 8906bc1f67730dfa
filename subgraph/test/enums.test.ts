// The schema's JobStatus and ProviderStatus enums are the Solidity enums (the mappings import the generated
// values; the schema cannot import, so it is checked here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobStatusNames, providerStatusNames } from '@necto/contracts';

const schema = readFileSync(join(import.meta.dirname, '..', 'schema.graphql'), 'utf8');

function schemaEnum(name: string): string[] {
  const body = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(schema)?.[1];
  if (!body) throw new Error(`schema.graphql has no enum ${name}`);
  return body
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').replace(/"[^"]*"/g, '').trim())
    .filter((l) => /^[A-Z_]+$/.test(l));
}

const upperSnake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

describe('schema enums follow DataTypes', () => {
  it('JobStatus: every member but None, in order', () => {
    expect(schemaEnum('JobStatus')).toEqual(jobStatusNames.slice(1).map(upperSnake));
  });
  it('ProviderStatus: every member but None, in order', () => {
    expect(schemaEnum('ProviderStatus')).toEqual(providerStatusNames.slice(1).map(upperSnake));
  });
});
