// Parsing the provider agent's live log stream (`GET /jobs/:id/logs?follow=1`) and keeping a bounded tail of it.
// The agent answers either Server-Sent Events (`text/event-stream`: each `data:` event is a piece of the log, an
// `end` event closes it, optionally with `{ exitCode, reason }`) or plain chunked text (the raw log bytes, ended
// by closing the response). Both are decoded as UTF-8 across chunk boundaries.
import { z } from 'zod';

export type LogEvent = { type: 'text'; text: string } | { type: 'end'; exitCode: number | null; reason: string | null };

export type StreamFormat = 'sse' | 'text';

/** The stream format a response's Content-Type announces. */
export function streamFormatOf(contentType: string | null): StreamFormat {
  return contentType !== null && /^\s*text\/event-stream\b/i.test(contentType) ? 'sse' : 'text';
}

const endDataSchema = z
  .object({ exitCode: z.number().int().nullable().optional(), reason: z.string().max(64).nullable().optional() })
  .loose();

function endEvent(data: string): LogEvent {
  let parsed: z.infer<typeof endDataSchema> | null = null;
  try {
    const result = endDataSchema.safeParse(JSON.parse(data));
    parsed = result.success ? result.data : null;
  } catch {
    parsed = null;
  }
  return { type: 'end', exitCode: parsed?.exitCode ?? null, reason: parsed?.reason ?? null };
}

/** Incremental parser: feed it the response's chunks in order, then call `finish()` once. */
export class LogStreamParser {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  private dataLines: string[] = [];
  private eventName = '';

  constructor(readonly format: StreamFormat) {}

  feed(chunk: Uint8Array): LogEvent[] {
    const text = this.decoder.decode(chunk, { stream: true });
    return this.format === 'text' ? (text ? [{ type: 'text', text }] : []) : this.sse(text);
  }

  /** Flushes what is left (an undecoded tail, an SSE event without its closing blank line). */
  finish(): LogEvent[] {
    const rest = this.decoder.decode();
    if (this.format === 'text') return rest ? [{ type: 'text', text: rest }] : [];
    const events = this.sse(rest);
    if (this.pending) {
      this.line(this.pending);
      this.pending = '';
    }
    const last = this.dispatch();
    return last ? [...events, last] : events;
  }

  private sse(text: string): LogEvent[] {
    const events: LogEvent[] = [];
    this.pending += text;
    // Lines end with \n, \r\n or \r; keep a trailing \r until the next chunk shows whether \n follows.
    for (;;) {
      const match = /\r\n|\n|\r(?=[^\n])/.exec(this.pending);
      if (!match) break;
      const line = this.pending.slice(0, match.index);
      this.pending = this.pending.slice(match.index + match[0].length);
      if (line === '') {
        const event = this.dispatch();
        if (event) events.push(event);
      } else {
        this.line(line);
      }
    }
    return events;
  }

  private line(line: string): void {
    if (line.startsWith(':')) return; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
  }

  private dispatch(): LogEvent | null {
    const name = this.eventName;
    const lines = this.dataLines;
    this.eventName = '';
    this.dataLines = [];
    if (name === 'end') return endEvent(lines.join('\n'));
    if (lines.length === 0) return null;
    if (name !== '' && name !== 'message' && name !== 'log') return null; // events the dApp does not know
    return { type: 'text', text: `${lines.join('\n')}\n` };
  }
}

/** The last `maxLines` complete lines of a log (plus the line being written), and how many were dropped. */
export interface LogTail {
  lines: string[];
  partial: string;
  dropped: number;
  bytes: number;
}

export const EMPTY_TAIL: LogTail = { lines: [], partial: '', dropped: 0, bytes: 0 };

/** Appends `text` to `tail`, keeping at most `maxLines` lines (oldest dropped first) and each at most `maxLineChars`. */
export function appendToTail(tail: LogTail, text: string, maxLines = 2_000, maxLineChars = 4_000): LogTail {
  if (!text) return tail;
  const parts = (tail.partial + text).split(/\r?\n/);
  const partial = (parts.pop() ?? '').slice(0, maxLineChars);
  let lines = tail.lines.concat(parts.map((l) => (l.length > maxLineChars ? `${l.slice(0, maxLineChars)}…` : l)));
  let dropped = tail.dropped;
  if (lines.length > maxLines) {
    dropped += lines.length - maxLines;
    lines = lines.slice(lines.length - maxLines);
  }
  return { lines, partial, dropped, bytes: tail.bytes + new TextEncoder().encode(text).length };
}
