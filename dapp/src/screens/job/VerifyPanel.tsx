import { useState } from 'react';
import { useKeeper } from '../../keeper/context';
import { verifyDecisionLog, type OnchainRoute, type VerifyResult } from './verifyDecision';

type State = { phase: 'idle' } | { phase: 'running' } | { phase: 'done'; result: VerifyResult; size: number } | { phase: 'error'; message: string };

/** Fetches the reasoning log by its root and checks it in the browser against the on-chain commit. */
export function VerifyPanel({ route }: { route: OnchainRoute }) {
  const keeper = useKeeper();
  const [state, setState] = useState<State>({ phase: 'idle' });

  async function verify() {
    setState({ phase: 'running' });
    try {
      const bytes = await keeper.log(route.logRoot);
      setState({ phase: 'done', result: verifyDecisionLog(bytes, route), size: bytes.length });
    } catch (error) {
      setState({ phase: 'error', message: (error as Error).message });
    }
  }

  return (
    <div className="panel" aria-labelledby="verify-title">
      <div className="spread">
        <h2 id="verify-title">Verify decision</h2>
        <button type="button" onClick={verify} disabled={state.phase === 'running'}>
          {state.phase === 'running' ? 'Verifying…' : state.phase === 'done' ? 'Verify again' : 'Verify decision'}
        </button>
      </div>
      <p className="small muted">
        Downloads the reasoning log named by the on-chain <code>logRoot</code>, recomputes its 0G Merkle root and keccak256 here in your
        browser, and compares them with the values committed on-chain.
      </p>
      <div aria-live="polite">
        {state.phase === 'error' && <div className="notice error" role="alert">Could not fetch the log: {state.message}</div>}
        {state.phase === 'done' && (
          <div className="stack" data-testid="verify-result" data-verified={state.result.passed ? 'true' : 'false'}>
            <div className={`notice ${state.result.passed ? 'ok' : 'error'}`}>
              {state.result.passed ? 'Verified: the log matches the on-chain commit.' : 'Verification failed: the log does not match the on-chain commit.'}{' '}
              <span className="small">({state.size.toLocaleString('en-US')} bytes)</span>
            </div>
            <ul className="checklist">
              {state.result.checks.map((check) => (
                <li key={check.id} data-check={check.id} data-passed={check.passed}>
                  <span className={`badge ${check.passed ? 'ok' : 'bad'}`}>{check.passed ? 'passed' : 'failed'}</span>
                  <span>
                    {check.label}
                    <br />
                    <span className="small muted mono">
                      on-chain {check.expected}
                      <br />
                      computed {check.actual}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}
