import { describe, expect, it } from 'vitest';
import { splitCommandLine } from './argv';

describe('command line → argv', () => {
  it('splits on whitespace', () => {
    expect(splitCommandLine('  python finetune.py   --epochs 3 ')).toEqual(['python', 'finetune.py', '--epochs', '3']);
    expect(splitCommandLine('   ')).toEqual([]);
  });
  it('keeps quoted words whole', () => {
    expect(splitCommandLine(`sh -c 'for i in 1 2; do echo "$i"; done > /outputs/a.txt'`)).toEqual(['sh', '-c', 'for i in 1 2; do echo "$i"; done > /outputs/a.txt']);
    expect(splitCommandLine(`echo "a \\"b\\" c" '' x\\ y`)).toEqual(['echo', 'a "b" c', '', 'x y']);
  });
  it('refuses an unclosed quote', () => {
    expect(() => splitCommandLine(`sh -c 'echo hi`)).toThrow(/unclosed single quote/);
    expect(() => splitCommandLine('echo \\')).toThrow(/lone backslash/);
  });
});
