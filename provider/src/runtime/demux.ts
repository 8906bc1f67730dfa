/**
 * The Engine API's multiplexed log stream (non-TTY containers): frames of an 8-byte header — stream type
 * (0 stdin, 1 stdout, 2 stderr), three zero bytes, payload length as a big-endian uint32 — then the payload.
 * Yields the payloads in order, so stdout and stderr come out interleaved as the container wrote them.
 */
export async function* demuxDockerStream(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array = new Uint8Array(0);
  for await (const raw of chunks) {
    const chunk = raw instanceof Uint8Array ? raw : new Uint8Array(raw as ArrayBufferLike);
    pending = pending.length === 0 ? chunk : concat(pending, chunk);
    let offset = 0;
    while (pending.length - offset >= 8) {
      const type = pending[offset] as number;
      if (type > 2 || pending[offset + 1] !== 0 || pending[offset + 2] !== 0 || pending[offset + 3] !== 0) {
        throw new Error(`malformed log stream: bad frame header at byte ${offset}`);
      }
      const size = new DataView(pending.buffer, pending.byteOffset + offset + 4, 4).getUint32(0, false);
      if (pending.length - offset - 8 < size) break;
      if (size > 0) yield pending.slice(offset + 8, offset + 8 + size);
      offset += 8 + size;
    }
    pending = offset === 0 ? pending : pending.slice(offset);
  }
  if (pending.length > 0) throw new Error(`log stream ended inside a frame (${pending.length} bytes left)`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
