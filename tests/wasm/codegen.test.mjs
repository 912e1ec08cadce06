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

function solve(model, options = '{}') {
  const s = M.solve(model, options, '{}');
  try {
    return { x: Array.from(s.x()), y: Array.from(s.y()), info: JSON.parse(s.info()) };
  } finally {
    s.delete();
  }
}

// The compiled solve against the interpreted one, bit for bit, in each of the solution's arrays named.
function assertSameBits(fast, reference, keys, label = '') {
  for (const key of keys) {
    assert.equal(fast[key].length, reference[key].length, `${label} ${key}`);
    for (let k = 0; k < fast[key].length; ++k)
      if (!Object.is(fast[key][k], reference[key][k]))
        assert.fail(`${label} ${key}[${k}]: compiled ${fast[key][k]}, interpreted ${reference[key][k]}`);
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
      assertSameBits(fast, reference, ['x'], file);
    } finally {
      M.setTapeCompilation(true);
      model.delete();
    }
  });
}

// A large model's f compiles too: the chain of 8,000 masses (16,000 states, the largest of bench/chain) has an f tape
// of about 80,000 instructions and 16,000 outputs. Written one local per register, its function needed more than
// V8's 50,000 locals and the engine refused it, so f stayed on the interpreter; values now share locals where their
// lives do not overlap. The chain is the benchmark's (bench/chain_model.h), soft enough for Tsit5.
function chainModel(n) {
  const lines = [
    'model: chain',
    'components:',
    '  mass: { states: { x: 0 m, v: 0 m/s }, params: { m: 1 kg } }',
    '  spring: { params: { k: 100 N/m, L: 1 m, c: 0.1 N*s^3/m^3 } }',
    'systems:',
    '  kinematics: { slots: [a: mass], equations: ["der(a.x) += a.v"] }',
    '  spring_force:',
    '    slots: [a: mass, s: spring, b: mass]',
    '    equations:',
    '      - F = s.k * ((b.x - a.x) - s.L) + s.c * (b.v - a.v)^3',
    '      - der(a.v) += F / a.m',
    '      - der(b.v) -= F / b.m',
    'entities:',
  ];
  for (let i = 0; i < n; ++i) lines.push(`  m${i}: { mass: { x: ${i}${i === 0 ? ', v: 1' : ''} } }`);
  for (let i = 0; i + 1 < n; ++i) lines.push(`  s${i}: { spring: {} }`);
  const links = [];
  for (let i = 0; i + 1 < n; ++i) links.push(`[m${i}, s${i}, m${i + 1}]`);
  lines.push('world:', '  kinematics: auto', `  spring_force: [${links.join(', ')}]`);
  return lines.join('\n') + '\n';
}

test("a 16,000-state model's f compiles to WebAssembly and gives the interpreter's solve bit for bit", () => {
  const model = M.compileModel(chainModel(8000), 'chain8000.yaml');
  const run = () => solve(model, JSON.stringify({ method: 'Tsit5', tspan: [0, 0.5], n_save_points: 2 }));
  try {
    const stats = () => JSON.parse(model.info()).stats;
    assert.ok(stats().rhs_instructions > 50000, `f has ${stats().rhs_instructions} instructions`);
    M.setTapeCompilation(false);
    const reference = run();
    assert.equal(reference.info.status, 'success', reference.info.message);
    M.setTapeCompilation(true);
    // With two save points, f is the only tape that runs 1000 times (Program::kJitAfterCalls) and compiles.
    let solves = 0;
    while (stats().compiled_tapes === 0 && solves < 20) (run(), ++solves);
    assert.ok(stats().compiled_tapes > 0, `no tape compiled in ${solves} solves`);
    const fast = run();
    assert.equal(fast.info.stats.accepted_steps, reference.info.stats.accepted_steps);
    assertSameBits(fast, reference, ['x']);
  } finally {
    M.setTapeCompilation(true);
    model.delete();
  }
});

// Every comparison and logical operation where a careless translation differs (NaN, signed zeros, a boolean read
// as a number or as a condition), on the compiled outputs and f against the interpreter's, bit for bit. x sweeps
// -1.5 .. 1.5 through 0 while z stays at 0.5; s = sqrt(x) is NaN while x < 0, and the output tape runs at each of
// the 3001 save points, so it compiles during the solve (Program::kJitAfterCalls is 1000).
const logicModel = `
model: logic
components:
  probe:
    states: { x: -1.5, z: 0.5, w: 0 }
    outputs: { o1: {}, o2: {}, o3: {}, o4: {}, o5: {}, o6: {}, o7: {}, o8: {}, o9: {}, o10: {}, o11: {}, o12: {} }
systems:
  logic:
    slots: [p: probe]
    equations:
      - s = sqrt(p.x)
      - der(p.x) += 1
      - der(p.w) += (p.x > p.z) * 2 + (not (p.x < 0)) - (s == s) + if(s >= 0 or p.x < -1, 3, -p.x)
      - p.o1 = p.x < p.z
      - p.o2 = (s <= p.z) + (s > p.z) * 2 + (s != s) * 4
      - p.o3 = (p.x == 0) - (p.x != 0) * 0.5
      - p.o4 = p.x > 0 and p.z > 0
      - p.o5 = (s > 0) or (p.x >= 0)
      - p.o6 = not(s >= 0)
      - p.o7 = if(p.x < 0 and not(p.z < 0), p.x, -max(p.z - 0.5, 0))
      - p.o8 = if(s == s, s, 7) * (p.x >= 0)
      - p.o9 = (not (not p.x)) + (not p.x) * 10
      - p.o10 = if(p.x, 1 / p.x, 0)
      - p.o11 = (p.x > 0) / (p.x < 0)
      - p.o12 = min(s, p.z) + max(p.x > 0, s)
entities:
  it: { probe: {} }
world:
  logic: [[it]]
`;

test("comparisons and logic on awkward values: the compiled tapes give the interpreter's outputs bit for bit", () => {
  const model = M.compileModel(logicModel, 'logic.yaml');
  const run = () => solve(model, JSON.stringify({ method: 'RK4', dt: 1e-3, tspan: [0, 3], n_save_points: 3001 }));
  try {
    M.setTapeCompilation(false);
    const reference = run();
    assert.equal(reference.info.status, 'success', reference.info.message);
    assert.ok(reference.y.some(Number.isNaN) && reference.y.some((v) => Object.is(v, -0)), 'NaN and -0 are met');
    M.setTapeCompilation(true);
    run(); // the tapes compile during this solve
    assert.ok(JSON.parse(model.info()).stats.compiled_tapes >= 2, 'f and the outputs compiled');
    assertSameBits(run(), reference, ['x', 'y']);
  } finally {
    M.setTapeCompilation(true);
    model.delete();
  }
});
