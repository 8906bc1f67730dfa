import { useState } from 'react';
import { Field } from '../../components/Field';
import { useKeeper } from '../../keeper/context';
import { verifyDecisionLog, type OnchainRoute, type VerifyResult } from './verifyDecision';

type State = { phase: 'idle' } | { phase: 'running' } | { phase: 'done'; result: VerifyResult; size: number; from: string } | { phase: 'error'; message: string };
type Source = 'keeper' | 'url' | 'file';

/** A log URL for this root: `{root}` in the template is replaced (e.g. a 0G indexer's `/file?root={root}`). */
export function logUrlFor(template: string, root: string): string | null {
  const url = template.trim().replaceAll('{root}', root);
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

function readFile(file: File): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(new Error(`cannot read ${file.name}`));
    reader.readAsArrayBuffer(file);
  });
}

/**
 * Checks the reasoning log in the browser against the on-chain commit. The bytes can come from the keeper, from any
 * URL (a 0G storage gateway, a mirror), or from a file the person has: the keeper is one source, not the judge.
 */
export function VerifyPanel({ route }: { route: OnchainRoute }) {
  const keeper = useKeeper();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [source, setSource] = useState<Source>('keeper');
  const [template, setTemplate] = useState('');
  const url = logUrlFor(template, route.logRoot);

  async function check(from: string, load: () => Promise<Uint8Array>) {
    setState({ phase: 'running' });
    try {
      const bytes = await load();
      setState({ phase: 'done', result: verifyDecisionLog(bytes, route), size: bytes.length, from });
    } catch (error) {
      setState({ phase: 'error', message: (error as Error).message });
    }
  }

  async function fetchUrl(target: string): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await fetch(target);
    } catch {
      throw new Error(`${new URL(target).host} is unreachable (or does not allow this site to read it)`);
    }
    if (!response.ok) throw new Error(`${new URL(target).host} answered ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  const verify = () => {
    if (source === 'keeper') void check('the keeper', () => keeper.log(route.logRoot));
    else if (source === 'url' && url) void check(new URL(url).host, () => fetchUrl(url));
  };
  const verifyFile = (file: File | undefined) => {
    if (file) void check(`the file ${file.name}`, () => readFile(file));
  };

  return (
    <div className="panel" aria-labelledby="verify-title">
      <div className="spread">
        <h2 id="verify-title">Verify decision</h2>
        {source !== 'file' && (
          <button type="button" onClick={verify} disabled={state.phase === 'running' || (source === 'url' && !url)}>
            {state.phase === 'running' ? 'Verifying…' : state.phase === 'done' ? 'Verify again' : 'Verify decision'}
          </button>
        )}
      </div>
      <p className="small muted">
        Reads the reasoning log named by the on-chain <code>logRoot</code>, recomputes its 0G Merkle root and keccak256 here in your
        browser, and compares them with the values committed on-chain. Any copy of the log proves the same: take it from the keeper,
        from a 0G storage gateway or any URL, or from a file.
      </p>
      <fieldset>
        <legend>Where the log comes from</legend>
        <div className="checks">
          <label><input type="radio" name="log-source" checked={source === 'keeper'} onChange={() => setSource('keeper')} /> The keeper</label>
          <label><input type="radio" name="log-source" checked={source === 'url'} onChange={() => setSource('url')} /> A URL (0G gateway, mirror)</label>
          <label><input type="radio" name="log-source" checked={source === 'file'} onChange={() => setSource('file')} /> A file</label>
        </div>
      </fieldset>
      {source === 'url' && (
        <Field label="Log URL" hint={<>Use <code>{'{root}'}</code> for the log root, e.g. <code>{'https://<0g-indexer>/file?root={root}'}</code>.</>} error={template && !url ? 'Enter an http(s) URL' : undefined}>
          {(p) => <input {...p} className="mono" value={template} onChange={(e) => setTemplate(e.target.value)} placeholder="https://…/file?root={root}" />}
        </Field>
      )}
      {source === 'file' && (
        <div
          className="empty"
          data-testid="log-drop"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            verifyFile(e.dataTransfer.files[0]);
          }}
        >
          <label>
            Drop the log file here, or choose it: <input type="file" aria-label="Reasoning log file" onChange={(e) => verifyFile(e.target.files?.[0])} />
          </label>
        </div>
      )}
      <div aria-live="polite">
        {state.phase === 'error' && <div className="notice error" role="alert">Could not fetch the log: {state.message}</div>}
        {state.phase === 'done' && (
          <div className="stack" data-testid="verify-result" data-verified={state.result.passed ? 'true' : 'false'}>
            <div className={`notice ${state.result.passed ? 'ok' : 'error'}`}>
              {state.result.passed ? 'Verified: the log matches the on-chain commit.' : 'Verification failed: the log does not match the on-chain commit.'}{' '}
              <span className="small">({state.size.toLocaleString('en-US')} bytes from {state.from})</span>
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
