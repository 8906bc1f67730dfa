import { useState } from 'react';
import { useKeeper } from '../../keeper/context';

/** Downloads the Akash SDL the keeper generated for an Akash route. */
export function SdlDownload({ jobId }: { jobId: string }) {
  const keeper = useKeeper();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    setError(null);
    try {
      const { yaml, filename } = await keeper.sdl(jobId);
      const url = URL.createObjectURL(new Blob([yaml], { type: 'application/yaml' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="row">
      <button type="button" onClick={download} disabled={busy}>Download Akash SDL</button>
      {error && <span className="notice error" role="alert">{error}</span>}
    </div>
  );
}
