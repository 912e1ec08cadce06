// The workbench is a static site: index.html, ES modules, a module worker with the wasm core, nothing remote.
import { defineConfig } from 'vite';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompressed, preloadPlotly } from './precompressed.js';
import { plotlySources } from './plotly-sources.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

// Works offline once loaded: after the build, a service worker is written that caches the page and every built
// file (the main bundle, the worker, the wasm), versioned by their names, so a new build replaces the old cache.
function offlineServiceWorker() {
  let outDir;
  return {
    name: 'numen-offline-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const assets = fs
        .readdirSync(path.join(outDir, 'assets'))
        .filter((f) => !/\.(br|gz)$/.test(f))
        .sort();
      const files = ['./', './index.html', ...assets.map((f) => `./assets/${f}`)];
      const version = crypto.createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const template = fs.readFileSync(path.join(here, 'src/sw.template.js'), 'utf8');
      fs.writeFileSync(
        path.join(outDir, 'sw.js'),
        template.replace('__VERSION__', version).replace('__FILES__', JSON.stringify(files)),
      );
    },
  };
}

export default defineConfig({
  plugins: [plotlySources(), offlineServiceWorker(), preloadPlotly(), precompressed()],
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
