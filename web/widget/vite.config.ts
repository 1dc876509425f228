// Vite library build of the survey widget: one self-running script, dist/web/widget.js, beside the dashboard
// (run after it: the dashboard's build empties dist/web).
import { defineConfig } from 'vite';

const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: here,
  publicDir: false,
  build: {
    outDir: '../../dist/web',
    emptyOutDir: false,
    target: 'es2020',
    lib: { entry: 'src/main.ts', formats: ['iife'], name: 'FidelioWidget', fileName: () => 'widget.js' },
  },
});
