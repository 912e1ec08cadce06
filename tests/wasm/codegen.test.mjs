// The browser's tape compiler (core/src/expr/wasm_codegen.cpp, jit_wasm.cpp) on every model in models/, data-driven:
// a model added there is covered without touching this file. For each one, the tapes must really compile (the
// engine accepts the modules the code generator writes: compiled_tapes > 0 once they are hot), and the solve on
// compiled tapes must be the interpreter's solve bit for bit. (Natively, tests/expr/jit_test.cpp encodes every
// tape of every model; only here do the modules run.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from './load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const modelsDir = path.join(root, 'models');
const M = await loadCore();
const modelFiles = fs
  .readdirSync(modelsDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function solve(model) {
  const s = M.solve(model, '{}', '{}');
  try {
    return { x: Array.from(s.x()), info: JSON.parse(s.info()) };
  } finally {
    s.delete();
  }
}

test('models/ has models to compile', () => assert.ok(modelFiles.length >= 18));

for (const file of modelFiles) {
  test(`${file}: its tapes compile to WebAssembly and give the interpreter's solve bit for bit`, () => {
    const model = M.compileModel(fs.readFileSync(path.join(modelsDir, file), 'utf8'), file);
    try {
      const compiled = () => JSON.parse(model.info()).stats.compiled_tapes;
      M.setTapeCompilation(false);
      const reference = solve(model);
      assert.equal(reference.info.status, 'success', `${file}: ${reference.info.message}`);
      assert.equal(compiled(), 0, 'nothing compiles while compilation is off');
      M.setTapeCompilation(true);
      // A tape compiles once it has run 1000 times (Program::kJitAfterCalls); a small model's solve takes fewer
      // calls (duffing: 56), so solve until one has.
      let solves = 0;
      while (compiled() === 0 && solves < 100) (solve(model), ++solves);
      assert.ok(compiled() > 0, `${file}: no tape compiled in ${solves} solves`);
      const fast = solve(model);
      assert.equal(fast.info.stats.accepted_steps, reference.info.stats.accepted_steps, file);
      assert.equal(fast.x.length, reference.x.length, file);
      for (let k = 0; k < fast.x.length; ++k) {
        if (!Object.is(fast.x[k], reference.x[k])) assert.fail(`${file}: x[${k}] ${fast.x[k]} vs ${reference.x[k]}`);
      }
    } finally {
      M.setTapeCompilation(true);
      model.delete();
    }
  });
}
