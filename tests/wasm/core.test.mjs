// The WebAssembly core under Node: the API is bound, the oscillator solves to its analytic solution, and bad input
// arrives as a JS Error with the core's diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore, readModel } from './load.mjs';

const M = await loadCore();

const oscillatorX = (t, omega = 2 * Math.PI, zeta = 0.05) => {
  const wd = omega * Math.sqrt(1 - zeta * zeta);
  return Math.exp(-zeta * omega * t) * (Math.cos(wd * t) + (zeta / Math.sqrt(1 - zeta * zeta)) * Math.sin(wd * t));
};

test('every public function is bound', () => {
  for (const name of ['compileModel', 'solve', 'methods', 'version']) assert.equal(typeof M[name], 'function', name);
  for (const name of ['info']) assert.equal(typeof M.Model.prototype[name], 'function', `Model.${name}`);
  for (const name of ['t', 'x', 'y', 'info'])
    assert.equal(typeof M.Solution.prototype[name], 'function', `Solution.${name}`);
  assert.match(M.version(), /^\d+\.\d+\.\d+$/);
  assert.ok(JSON.parse(M.methods()).some((m) => m.name === 'Tsit5'));
});

test('the oscillator solves to its analytic solution', () => {
  const model = M.compileModel(readModel('oscillator'), 'oscillator.yaml');
  try {
    const info = JSON.parse(model.info());
    assert.deepEqual(
      info.states.map((s) => s.key),
      ['osc.oscillator.x', 'osc.oscillator.v'],
    );
    const solution = M.solve(model, JSON.stringify({ rtol: 1e-10, atol: 1e-12 }), '{}');
    try {
      const t = solution.t();
      const x = solution.x();
      assert.ok(t instanceof Float64Array);
      assert.equal(t.length, 501);
      assert.equal(x.length, 2 * 501);
      let worst = 0;
      for (let k = 0; k < t.length; ++k) worst = Math.max(worst, Math.abs(x[k] - oscillatorX(t[k])));
      assert.ok(worst < 1e-8, `worst error ${worst}`);
      const status = JSON.parse(solution.info());
      assert.equal(status.status, 'success');
      assert.equal(status.method, 'Tsit5');
      assert.ok(status.stats.accepted_steps > 100);
    } finally {
      solution.delete();
    }
    const stiffer = M.solve(
      model,
      JSON.stringify({ n_save_points: 3 }),
      JSON.stringify({ set: { 'osc.oscillator.zeta': 0.5 } }),
    );
    assert.ok(Math.abs(stiffer.x()[2] - oscillatorX(5, 2 * Math.PI, 0.5)) < 1e-6);
    stiffer.delete();
  } finally {
    model.delete();
  }
});

test('errors arrive as JS Errors with file, line and column', () => {
  assert.throws(
    () =>
      M.compileModel(
        'model: m\ncomponents:\n  a: { states: { x: 0 } }\nsystems:\n  s:\n    slots: [p: a]\n    equations: ["der(p.x) += p.q"]\n',
        'bad.yaml',
      ),
    (e) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /^bad\.yaml:7:30: error: .*no field `q`/);
      assert.deepEqual([e.diagnostics[0].line, e.diagnostics[0].column], [7, 30]);
      return true;
    },
  );
  const model = M.compileModel(readModel('oscillator'), 'oscillator.yaml');
  assert.throws(() => M.solve(model, JSON.stringify({ rtol: -1 }), '{}'), /`rtol` must be between 0 and 1/);
  assert.throws(() => M.solve(model, JSON.stringify({ method: 'Tsit6' }), '{}'), /did you mean `Tsit5`/);
  model.delete();
});

// More saved points than a browser tab can hold (100 states at 10 million points: 8 GB, beyond wasm32's 4 GB) are an
// error about the saving options, said before the solve starts; such a solve used to run until memory ran out and
// then failed as "internal error". (That the room's size cannot wrap around in 32 bits is saved_series_test.cpp's.)
test('a saved solution too large for the memory is refused before solving, and the core goes on', () => {
  const cells = Array.from({ length: 100 }, (_, i) => `c${i}`);
  const text =
    'model: many\ncomponents:\n  cell: { states: { T: 1 } }\nsystems:\n  decay:\n    slots: [c: cell]\n' +
    '    equations: ["der(c.T) -= c.T"]\nentities:\n' +
    cells.map((c) => `  ${c}: { cell: {} }\n`).join('') +
    `world:\n  decay: [${cells.map((c) => `[${c}]`).join(', ')}]\n`;
  const model = M.compileModel(text, 'many.yaml');
  try {
    assert.throws(
      () => M.solve(model, JSON.stringify({ method: 'Tsit5', tspan: [0, 1], n_save_points: 10000000 }), '{}'),
      /saving 10000000 points of 101 values each .* GiB, more memory than there is; save fewer points/,
    );
    const solution = M.solve(model, JSON.stringify({ method: 'Tsit5', tspan: [0, 1], n_save_points: 11 }), '{}');
    try {
      const x = solution.x();
      assert.equal(x.length, 100 * 11);
      assert.ok(Math.abs(x[10] - Math.exp(-1)) < 1e-6, `T at t = 1: ${x[10]}`);
      assert.ok(Math.abs(x[99 * 11 + 10] - Math.exp(-1)) < 1e-6);
    } finally {
      solution.delete();
    }
  } finally {
    model.delete();
  }
});

// Hot tapes are compiled to WebAssembly modules at run time (core/src/expr/wasm_codegen.cpp): the compiled solve
// must be the interpreted solve, bit for bit, and the model must report that its tapes did compile.
test("hot tapes compile to WebAssembly and give the interpreter's numbers bit for bit", () => {
  const model = M.compileModel(readModel('fluid_poppet'), 'fluid_poppet.yaml');
  try {
    const compiled = () => JSON.parse(model.info()).stats.compiled_tapes;
    const solveAll = () => {
      const s = M.solve(model, JSON.stringify({ method: 'Rodas5P', n_save_points: 300 }), '{}');
      try {
        return { x: Array.from(s.x()), stats: JSON.parse(s.info()).stats };
      } finally {
        s.delete();
      }
    };
    M.setTapeCompilation(false);
    const reference = solveAll();
    assert.equal(compiled(), 0, 'nothing compiles while compilation is off');
    M.setTapeCompilation(true);
    solveAll(); // f and the Jacobian get hot during this solve and compile
    assert.ok(compiled() >= 2, `compiled tapes: ${compiled()}`);
    const fast = solveAll();
    assert.equal(fast.stats.accepted_steps, reference.stats.accepted_steps);
    assert.equal(fast.x.length, reference.x.length);
    for (let k = 0; k < fast.x.length; ++k)
      assert.ok(Object.is(fast.x[k], reference.x[k]), `x[${k}]: ${fast.x[k]} vs ${reference.x[k]}`);
  } finally {
    M.setTapeCompilation(true);
    model.delete();
  }
});

test('the transistor amplifier, written node by node with der() inside its equations, reaches the Test Set reference', () => {
  // TRANSAMP of the Test Set for IVP Solvers: the reference at t = 0.2 (PSIDE, rtol = atol = 1e-14). The browser's
  // core builds the same mass matrix as the native one; 1e-6 V is what the fifth-order methods reach at 1e-8
  // (tests/compile/mass_matrix_test.cpp).
  const reference = [
    -0.5562145012262709e-2, 3.006522471903042, 2.849958788608128, 2.926422536206241, 2.704617865010554,
    2.761837778393145, 4.770927631616772, 1.236995868091548,
  ];
  const model = M.compileModel(readModel('transistor_amplifier'), 'transistor_amplifier.yaml');
  try {
    assert.equal(JSON.parse(model.info()).features.mass_matrix, true);
    for (const method of ['Rodas5P', 'RadauIIA5', 'BDF']) {
      const s = M.solve(model, JSON.stringify({ method, rtol: 1e-8, atol: 1e-8, n_save_points: 2 }), '{}');
      try {
        assert.equal(JSON.parse(s.info()).status, 'success', method);
        const x = s.x();
        reference.forEach((r, i) =>
          assert.ok(Math.abs(x[i * 2 + 1] - r) <= 1e-6, `${method} u${i + 1}: ${x[i * 2 + 1]} vs ${r}`),
        );
      } finally {
        s.delete();
      }
    }
    assert.throws(
      () => M.solve(model, JSON.stringify({ method: 'Tsit5' }), '{}'),
      /der\(\) inside its equations.*Rodas5P/,
    );
  } finally {
    model.delete();
  }
});
