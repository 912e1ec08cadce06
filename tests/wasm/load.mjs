// Loads the browser build of the core under Node: the same numen.js/numen.wasm the workbench ships. Node's fetch()
// cannot read file paths, so the wasm bytes are handed over directly.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const build = path.join(root, 'build/wasm/wasm');

export async function loadCore() {
  const { default: createNumenModule } = await import(path.join(build, 'numen.js'));
  return createNumenModule({ wasmBinary: fs.readFileSync(path.join(build, 'numen.wasm')) });
}

export function readModel(name) {
  return fs.readFileSync(path.join(root, 'models', `${name}.yaml`), 'utf8');
}
