import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { EMPTY_TAIL } from '../../provider-agent/logStream';
import { useLogStream, type LogStreamState } from '../../provider-agent/useLogStream';
import { LiveLogsView, type LiveLogsViewProps } from './LiveLogs';

const idle: LogStreamState = { phase: 'idle', tail: EMPTY_TAIL, paused: false, exit: null, error: null };
const online = { state: 'ready' as const, data: { online: true, lastSeen: 1_000, endpoint: 'http://agent.test', running: 1 } };

function view(over: Partial<LiveLogsViewProps> = {}) {
  const props: LiveLogsViewProps = {
    status: 'Running', market: null, hasAgent: true, access: { allowed: true, role: 'buyer' }, liveness: online, stream: idle, nowSec: 1_010,
    onStart: vi.fn(), onStop: vi.fn(), onPause: vi.fn(), ...over,
  };
  render(<LiveLogsView {...props} />);
  return props;
}

describe('LiveLogsView states', () => {
  it('says the job has not started', () => {
    view({ status: 'Accepted' });
    expect(screen.getByTestId('logs-not-started').textContent).toMatch(/Not started yet/);
    expect(screen.queryByRole('button', { name: 'Stream live logs' })).toBeNull();
  });
  it('tells a stranger why they cannot read the logs', () => {
    view({ access: { allowed: false, reason: 'Live logs are private to the job’s buyer and its provider; the connected wallet is neither.' } });
    expect(screen.getByTestId('logs-refused').textContent).toMatch(/private to the job’s buyer and its provider/);
    expect(screen.queryByRole('button', { name: 'Stream live logs' })).toBeNull();
  });
  it('says the agent is offline with its last heartbeat', () => {
    view({ liveness: { state: 'ready', data: { online: false, lastSeen: 1_010 - 125, endpoint: 'http://agent.test', running: 0 } } });
    expect(screen.getByTestId('agent-offline').textContent).toMatch(/offline: last heartbeat 2 min ago/);
    expect(screen.getByTestId('agent-liveness').textContent).toBe('agent offline');
  });
  it('streams an Akash job’s log through the keeper, labelled with the network, with no provider agent', () => {
    const props = view({ market: 'akash', hasAgent: false, liveness: { state: 'loading' }, relay: { label: 'local Akash stand-in' } });
    expect(screen.getByTestId('logs-relay').textContent).toBe('local Akash stand-in');
    expect(screen.queryByTestId('agent-liveness')).toBeNull();
    expect(screen.queryByText(/no Necto provider agent serves its logs/)).toBeNull();
    expect(screen.getByText(/the keeper relays the Akash lease’s log/)).toBeInstanceOf(HTMLElement);
    fireEvent.click(screen.getByRole('button', { name: 'Stream live logs' }));
    expect(props.onStart).toHaveBeenCalledTimes(1);
  });
  it('says an Akash job has not started before its lease runs', () => {
    view({ status: 'Accepted', market: 'akash', hasAgent: false, relay: { label: 'local Akash stand-in' } });
    expect(screen.getByTestId('logs-not-started').textContent).toMatch(/once the Akash lease runs the container/);
  });
  it('says the run has ended', () => {
    view({ status: 'Completed' });
    expect(screen.getByTestId('logs-ended')).toBeInstanceOf(HTMLElement);
  });
  it('offers to stream when the agent is online, and signs on click', () => {
    const props = view();
    fireEvent.click(screen.getByRole('button', { name: 'Stream live logs' }));
    expect(props.onStart).toHaveBeenCalledOnce();
  });
});

/** A log response the test writes to chunk by chunk. */
function controllableStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => { controller = c; } });
  const enc = new TextEncoder();
  return {
    fetchImpl: (async () => new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })) as unknown as typeof fetch,
    write: (s: string) => controller.enqueue(enc.encode(s)),
    close: () => controller.close(),
  };
}

function Harness({ fetchImpl, maxLines }: { fetchImpl: typeof fetch; maxLines?: number }) {
  const stream = useLogStream({ fetchImpl, maxLines });
  return (
    <LiveLogsView
      status="Running" market={null} hasAgent access={{ allowed: true, role: 'buyer' }} liveness={online} stream={stream} nowSec={1_010}
      onStart={() => void stream.start('http://agent.test', '7', async () => ({ requester: '0x00000000000000000000000000000000000000b0', expires: 9n, signature: `0x${'1'.repeat(130)}` }))}
      onStop={stream.stop} onPause={stream.setPaused}
    />
  );
}

describe('live log streaming', () => {
  it('renders lines as they arrive, freezes them while paused, bounds the buffer and shows the exit', async () => {
    const s = controllableStream();
    render(<Harness fetchImpl={s.fetchImpl} maxLines={3} />);
    fireEvent.click(screen.getByRole('button', { name: 'Stream live logs' }));
    await act(async () => s.write('data: step 1\n\n'));
    await waitFor(() => expect(screen.getByTestId('live-log').textContent).toBe('step 1'));
    expect(screen.getByTestId('live-log-phase').getAttribute('data-phase')).toBe('streaming');

    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await act(async () => s.write('data: step 2\n\ndata: step 3\n\ndata: step 4\n\n'));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('live-log').textContent).toBe('step 1');
    expect(screen.getByTestId('live-log-phase').textContent).toMatch(/paused/);

    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(screen.getByTestId('live-log').textContent).toBe('step 2\nstep 3\nstep 4'));
    expect(screen.getByText('1 earlier lines not shown')).toBeInstanceOf(HTMLElement);

    await act(async () => {
      s.write('event: end\ndata: {"exitCode":2,"reason":"nonzero"}\n\n');
      s.close();
    });
    await waitFor(() => expect(screen.getByTestId('live-log-phase').getAttribute('data-phase')).toBe('ended'));
    expect(screen.getByRole('status').textContent).toMatch(/exited with code 2 \(nonzero\)/);
    expect(screen.getByRole('button', { name: 'Reconnect' })).toBeInstanceOf(HTMLElement);
  });

  it('shows the agent refusing the request', async () => {
    const fetchImpl = (async () => new Response('', { status: 403 })) as unknown as typeof fetch;
    render(<Harness fetchImpl={fetchImpl} />);
    fireEvent.click(screen.getByRole('button', { name: 'Stream live logs' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/only the job’s buyer and provider/);
  });
});
