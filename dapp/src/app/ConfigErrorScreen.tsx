export function ConfigErrorScreen({ error }: { error: unknown }) {
  return (
    <main>
      <h1>Necto cannot start</h1>
      <div className="notice error" role="alert">
        {error instanceof Error ? error.message : String(error)}
      </div>
      <p className="muted">
        Fix <code>config.json</code> next to <code>index.html</code> (keys: chainId, subgraphUrl, keeperUrl, rpcUrls,
        walletConnectProjectId, pollIntervalMs) or the <code>VITE_*</code> variables of the build, then reload.
      </p>
    </main>
  );
}
