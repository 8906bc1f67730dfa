import './styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { preloadRoute } from './app/routes';
import { ConfigErrorScreen } from './app/ConfigErrorScreen';
import { loadRuntimeConfig } from './config/load';
import { createWagmiConfig } from './wallet/wagmiConfig';

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  // Fetch the first screen's code while config.json is on its way.
  preloadRoute(window.location.hash.replace(/^#/, '') || '/');
  try {
    const config = await loadRuntimeConfig();
    const wagmiConfig = await createWagmiConfig(config);
    root.render(<App config={config} wagmiConfig={wagmiConfig} />);
  } catch (error) {
    root.render(<ConfigErrorScreen error={error} />);
  }
}

void boot();
