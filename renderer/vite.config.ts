import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Relative asset paths so the same build loads from file:// in Electron and from the
// browser-mode server (which adds <base href="/"> for deep links such as /trace/<id>).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
