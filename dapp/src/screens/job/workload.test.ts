import { jobDocumentText, specHashOfText } from '@necto/keeper/domain';
import { describe, expect, it } from 'vitest';
import { describeWorkload, shellLine } from './workload';

const doc = { image: 'ghcr.io/acme/llama-finetune:0.3', command: ['python', 'finetune.py', '--epochs', '3'], env: { HF_TOKEN: 'secret', BATCH: '8' }, outputs: '/data/out' };
const text = jobDocumentText(doc);

describe('workload', () => {
  it('reads a document that follows the schema and checks its hash', () => {
    const w = describeWorkload(text, specHashOfText(text), 'onchain');
    expect(w).toMatchObject({ hashMatches: true, valid: true, image: doc.image, command: doc.command, envNames: ['BATCH', 'HF_TOKEN'], outputs: '/data/out' });
    expect(JSON.stringify(w)).not.toContain('secret');
  });
  it('flags a copy that does not hash to the on-chain specHash', () => {
    expect(describeWorkload(text, `0x${'0'.repeat(64)}`, 'local').hashMatches).toBe(false);
  });
  it('shows what it can of a document outside the schema, marked invalid', () => {
    const legacy = jobDocumentText({ schema: 'necto.job/1', image: 'pytorch/pytorch:2.4.0', command: 'python train.py' });
    const w = describeWorkload(legacy, specHashOfText(legacy), 'local');
    expect(w.valid).toBe(false);
    expect(w.issues.join(' ')).toMatch(/command/);
    expect(w.image).toBe('pytorch/pytorch:2.4.0');
    expect(w.command).toBe('python train.py');
    expect(w.outputs).toBe('/outputs');
  });
  it('quotes arguments for display', () => {
    expect(shellLine(['sh', '-c', "echo 'hi' > /outputs/a.txt"])).toBe(`sh -c 'echo '\\''hi'\\'' > /outputs/a.txt'`);
  });
});
