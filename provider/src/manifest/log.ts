/**
 * The run's full log, bounded: stdout and stderr as the runtime interleaved them. Past the limit the provider
 * keeps the first and the last half of the budget (the end usually says why a run failed) with one marker line
 * between them, and flags the log as truncated.
 */

export const DEFAULT_LOG_LIMIT_BYTES = 8 * 1024 * 1024;

export interface CollectedLog {
  /** What is stored: the whole log, or head + marker + tail when truncated. */
  bytes: Uint8Array;
  truncated: boolean;
  /** Bytes the container wrote in total. */
  totalBytes: number;
}

export async function collectLog(chunks: AsyncIterable<Uint8Array>, maxBytes = DEFAULT_LOG_LIMIT_BYTES): Promise<CollectedLog> {
  if (!Number.isInteger(maxBytes) || maxBytes < 2) throw new RangeError('maxBytes must be an integer ≥ 2');
  const headLimit = Math.floor(maxBytes / 2);
  const tailLimit = maxBytes - headLimit;
  const head = new Uint8Array(headLimit);
  let headLength = 0;
  // Tail kept as a ring buffer once the head is full.
  const tail = new Uint8Array(tailLimit);
  let tailWritten = 0;
  let total = 0;
  for await (const chunk of chunks) {
    let offset = 0;
    if (headLength < headLimit) {
      const take = Math.min(headLimit - headLength, chunk.length);
      head.set(chunk.subarray(0, take), headLength);
      headLength += take;
      offset = take;
    }
    for (let i = offset; i < chunk.length; ) {
      const at = tailWritten % tailLimit;
      const take = Math.min(tailLimit - at, chunk.length - i);
      tail.set(chunk.subarray(i, i + take), at);
      tailWritten += take;
      i += take;
    }
    total += chunk.length;
  }
  if (total <= maxBytes) {
    const all = new Uint8Array(total);
    all.set(head.subarray(0, headLength), 0);
    all.set(tail.subarray(0, tailWritten), headLength);
    return { bytes: all, truncated: false, totalBytes: total };
  }
  const start = tailWritten % tailLimit;
  const tailBytes = new Uint8Array(tailLimit);
  tailBytes.set(tail.subarray(start), 0);
  tailBytes.set(tail.subarray(0, start), tailLimit - start);
  const marker = new TextEncoder().encode(`\n[necto: ${total - headLimit - tailLimit} bytes of log omitted]\n`);
  const out = new Uint8Array(headLimit + marker.length + tailLimit);
  out.set(head, 0);
  out.set(marker, headLimit);
  out.set(tailBytes, headLimit + marker.length);
  return { bytes: out, truncated: true, totalBytes: total };
}
