// The source folders are the keeper's layers; an import may only point to the same layer or one below.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Lowest first. The root files logger.ts, metrics.ts and config.ts sit beside the domain at the bottom. */
const LAYERS: Array<{ name: string; folders: string[] }> = [
  { name: 'domain', folders: ['domain', '(root)'] },
  { name: 'brain parts', folders: ['catalog', 'markets', 'engine', 'agent', 'log', 'akash'] },
  { name: 'routing', folders: ['routing'] },
  { name: 'chain', folders: ['chain'] },
  { name: 'services', folders: ['services'] },
  { name: 'api', folders: ['api'] },
  { name: 'main', folders: ['main'] },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function folderOf(file: string): string {
  const rel = relative(SRC, file);
  if (rel === 'main.ts') return 'main';
  return rel.includes('/') ? rel.split('/')[0]! : '(root)';
}

function rankOf(folder: string): number {
  const i = LAYERS.findIndex((l) => l.folders.includes(folder));
  if (i === -1) throw new Error(`src/${folder} is in no layer: add it to LAYERS and to the README drawing`);
  return i;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

const files = sourceFiles(SRC);

describe('keeper layers', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.map(folderOf)).toEqual(expect.arrayContaining(['domain', 'routing', 'chain', 'services', 'api']));
  });

  it('no import points to a higher layer', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const to = folderOf(resolve(dirname(file), spec));
        if (rankOf(to) > rankOf(from)) upward.push(`${relative(SRC, file)} → ${spec} (${from} imports ${to})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('the domain imports only zod, viem and itself (so the dApp can bundle it)', () => {
    const foreign: string[] = [];
    for (const file of files.filter((f) => folderOf(f) === 'domain')) {
      for (const spec of importsOf(file)) {
        const ok = spec === 'zod' || spec === 'viem' || (spec.startsWith('./') && !spec.includes('/', 2));
        if (!ok) foreign.push(`${relative(SRC, file)} → ${spec}`);
      }
    }
    expect(foreign).toEqual([]);
  });
});
