import { describe, expect, it } from 'vitest';
import { appendToTail, EMPTY_TAIL, LogStreamParser, streamFormatOf, type LogEvent } from './logStream';

const enc = (s: string) => new TextEncoder().encode(s);
const texts = (events: LogEvent[]) => events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('');

describe('log stream parser', () => {
  it('tells SSE from plain text by Content-Type', () => {
    expect(streamFormatOf('text/event-stream; charset=utf-8')).toBe('sse');
    expect(streamFormatOf('text/plain')).toBe('text');
    expect(streamFormatOf(null)).toBe('text');
  });

  it('joins SSE data lines, skips comments, splits events across chunks and CRLF', () => {
    const p = new LogStreamParser('sse');
    const events = [
      ...p.feed(enc(': keep-alive\n\ndata: step 1/3\n')),
      ...p.feed(enc('\ndata: step 2')),
      ...p.feed(enc('/3\r')),
      ...p.feed(enc('\n\r\ndata: multi\ndata: line\n\n')),
      ...p.finish(),
    ];
    expect(events).toEqual([
      { type: 'text', text: 'step 1/3\n' },
      { type: 'text', text: 'step 2/3\n' },
      { type: 'text', text: 'multi\nline\n' },
    ]);
  });

  it('reads the end event and its exit code', () => {
    const p = new LogStreamParser('sse');
    const events = [...p.feed(enc('data: done\n\nevent: end\ndata: {"exitCode":3,"reason":"nonzero"}\n\n')), ...p.finish()];
    expect(events).toEqual([
      { type: 'text', text: 'done\n' },
      { type: 'end', exitCode: 3, reason: 'nonzero' },
    ]);
    const bare = new LogStreamParser('sse');
    expect([...bare.feed(enc('event: end\ndata: not json\n')), ...bare.finish()]).toEqual([{ type: 'end', exitCode: null, reason: null }]);
  });

  it('ignores unknown SSE events', () => {
    const p = new LogStreamParser('sse');
    expect([...p.feed(enc('event: progress\ndata: 40\n\nevent: log\ndata: x\n\n')), ...p.finish()]).toEqual([{ type: 'text', text: 'x\n' }]);
  });

  it('decodes plain text across a split multi-byte character', () => {
    const bytes = enc('héllo ✓\n');
    const p = new LogStreamParser('text');
    const events = [...p.feed(bytes.slice(0, 2)), ...p.feed(bytes.slice(2, 8)), ...p.feed(bytes.slice(8)), ...p.finish()];
    expect(texts(events)).toBe('héllo ✓\n');
    expect(texts(events)).not.toContain('\uFFFD');
  });
});

describe('log tail', () => {
  it('keeps the line being written apart until its newline arrives', () => {
    let tail = appendToTail(EMPTY_TAIL, 'a\nb');
    expect(tail.lines).toEqual(['a']);
    expect(tail.partial).toBe('b');
    tail = appendToTail(tail, 'c\r\nd\n');
    expect(tail.lines).toEqual(['a', 'bc', 'd']);
    expect(tail.partial).toBe('');
    expect(tail.bytes).toBe(8);
  });

  it('drops the oldest lines beyond the bound and counts them', () => {
    let tail = EMPTY_TAIL;
    for (let i = 0; i < 25; i++) tail = appendToTail(tail, `line ${i}\n`, 10);
    expect(tail.lines).toHaveLength(10);
    expect(tail.lines[0]).toBe('line 15');
    expect(tail.lines[9]).toBe('line 24');
    expect(tail.dropped).toBe(15);
  });

  it('cuts over-long lines', () => {
    const tail = appendToTail(EMPTY_TAIL, `${'x'.repeat(50)}\n`, 10, 8);
    expect(tail.lines[0]).toBe(`${'x'.repeat(8)}…`);
  });
});
