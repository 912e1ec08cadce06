// The workbench is a static site: index.html, ES modules, a module worker with the wasm core, nothing remote.
import { defineConfig } from 'vite';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

export default defineConfig({
  root: here,
  base: './',
  resolve: {
    alias: {
      // Built by `scripts/build.sh wasm` (emcmake): the Embind module factory and its .wasm beside it.
      '@numen/core': path.join(repo, 'build/wasm/wasm/numen.js'),
      '@models': path.join(repo, 'models'),
      // The JSON Schemas the core validates with drive the editor's completion: one file for both.
      '@schemas': path.join(repo, 'schemas'),
    },
  },
  worker: { format: 'es' },
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
  server: { fs: { allow: [repo] } },
  preview: { host: '127.0.0.1' },
});
