import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // The Akash SDK's browser build (the default entry pulls Node transports).
  resolve: { alias: [{ find: /^@akashnetwork\/chain-sdk$/, replacement: '@akashnetwork/chain-sdk/web' }] },
  // Relative asset URLs: the static build can be served from any path (IPFS, a sub-folder, a CDN).
  base: './',
  build: {
    target: 'es2022',
    sourcemap: false,
    // The bench reads the manifest to size the first screen's JS (entry chunk + its static imports).
    manifest: true,
    chunkSizeWarningLimit: 900,
  },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173 },
});
