// Every shipped model and plan, in both hosts: the wasm core under Node (the browser's numen.js/numen.wasm) and the
// native CLI. Data-driven: a model added to models/ or a plan added to models/plans/ is covered without touching
// this file. Three solves per model in wasm, because the first solve is the one in which hot tapes of a larger
// model get compiled to WebAssembly, and the later ones run the compiled code: all three must succeed and agree bit
// for bit (compiled tapes reproduce the interpreter's operations), and agree with the native build. (A small model
// may take fewer than the 1000 calls a tape needs to compile in three solves; codegen.test.mjs solves every model
// until its tapes have compiled.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from './load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const modelsDir = path.join(root, 'models');
const native = path.join(root, 'build/native/cli/numen');
const M = await loadCore();

const gallery = JSON.parse(fs.readFileSync(path.join(modelsDir, 'gallery.json'), 'utf8'));
const tagsOf = new Map(gallery.groups.flatMap((g) => g.models.map((m) => [m.file, m.tags ?? []])));
const modelFiles = fs
  .readdirSync(modelsDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const planFiles = fs
  .readdirSync(path.join(modelsDir, 'plans'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const allFiles = Object.fromEntries(modelFiles.map((f) => [f, fs.readFileSync(path.join(modelsDir, f), 'utf8')]));

function solveWasm(model) {
  const solution = M.solve(model, '{}', '{}');
  try {
    return { t: solution.t(), x: solution.x(), info: JSON.parse(solution.info()) };
  } finally {
    solution.delete();
  }
}

function solveNative(file) {
  return JSON.parse(
    execFileSync(native, ['run', path.join('models', file), '--format', 'json'], { cwd: root, maxBuffer: 1 << 28 }),
  );
}

test('the native CLI and the gallery exist', () => {
  assert.ok(fs.existsSync(native), `${native} is missing: build native first`);
  assert.ok(modelFiles.length >= 18 && planFiles.length >= 3);
});

// A model is checked against schemas/model.schema.json before it is read: a value of the wrong type is reported where
// it is, and the browser's core reports it as the CLI does.
test('a schema error in a model reads the same in wasm as in the CLI', () => {
  const file = 'tests/bad_models/105_description_not_text.yaml';
  const cli = spawnSync(native, ['validate', file], { cwd: root, encoding: 'utf8' });
  assert.equal(cli.status, 1);
  const expected = cli.stderr.split('\n')[0];
  assert.ok(
    expected.startsWith(`${file}:5:18: error: \`description\` of component \`mass\` must be text, got a list`),
    expected,
  );
  assert.throws(
    () => M.compileModel(fs.readFileSync(path.join(root, file), 'utf8'), file),
    (e) => e.message.split('\n')[0] === expected,
  );
});

for (const file of modelFiles) {
  test(`${file}: three wasm solves succeed, agree bit for bit, and agree with the native build`, () => {
    const model = M.compileModel(allFiles[file], file);
    let runs, layout, states;
    try {
      states = JSON.parse(model.info()).states; // the order of the solution's rows, and each one's display unit
      layout = states.map((v) => v.key);
      runs = [solveWasm(model), solveWasm(model), solveWasm(model)];
    } finally {
      model.delete();
    }
    for (const run of runs) assert.equal(run.info.status, 'success', `${file}: ${run.info.message}`);
    for (const later of runs.slice(1)) {
      assert.deepEqual(Array.from(later.x), Array.from(runs[0].x), `${file}: a solve on compiled tapes differs`);
    }

    const reference = solveNative(file);
    assert.equal(reference.status, 'success', `${file} (native): ${reference.message}`);
    const keys = Object.keys(reference.states);
    const wasm = runs[0];
    const nt = wasm.t.length;
    assert.equal(nt, reference.t.length, `${file}: saved points`);
    // Chaotic models separate at any rounding difference (libm differs between glibc and emscripten's), so they
    // are compared early in the run, before the difference has grown; the others at the end. 1e-6 of the state's
    // own scale: both hosts take the same steps, so only libm's last-bit differences, amplified by the problem,
    // separate them; a real defect (a wrong tape, a missed event) is far larger.
    const chaotic = (tagsOf.get(file) ?? []).includes('chaos');
    const k = chaotic ? Math.floor((nt - 1) / 20) : nt - 1;
    assert.deepEqual([...layout].sort(), [...keys].sort());
    layout.forEach((key, i) => {
      const series = reference.states[key];
      const scale = Math.max(...series.map(Math.abs), 1e-300);
      const a = (wasm.x[i * nt + k] - states[i].offset) / states[i].scale; // the CLI prints display units
      const b = series[k];
      assert.ok(Math.abs(a - b) <= 1e-6 * scale, `${file} ${key} at t = ${wasm.t[k]}: wasm ${a}, native ${b}`);
    });
  });
}

// Every number of two results documents. Both hosts take the same steps until libm's last bits (glibc's and
// emscripten's differ) flip one accept/reject decision; after that the results may differ by what the solver
// vouches for and no more. Measured on the dashpot plan (rtol 1e-7): tightening rtol tenfold moves its Q by 2.3e-5
// relative (230 rtol) and its chirp FRF by 4e-4 dB; the hosts differ by less than that. So numbers agree to
// 1000 rtol (at least 1e-7) of their own size, a table column's entries of the column's largest entry (a chirp's
// FRF 100 dB below its peak is as noisy as the solver allows there). A defect (a wrong tape, a lost point, a
// misread value) differs by orders of magnitude more. Metrics of a peak's shape are ill-conditioned: f0 is an
// argmax, which a gain error e moves by about sqrt(e), and Q comes from half-power points of a sampled curve (the
// dashpot's Q of one family member moves by 1.1e-4 when rtol is tightened tenfold, the hosts differ by as much),
// so `metrics` agree to the square root of the tolerance; the tables they come from are held to the tolerance.
// A table's logarithmic and angular columns (dB, phase) are functions of its linear ones, which are compared; on
// their own they magnify the solver's error where the response is small (a chirp 90 dB down moves 0.06 dB when
// rtol is tightened tenfold), so they are not compared again.
const derivedColumn = (name) => /_db$|^phase/.test(name);
function compareNumbers(a, b, tol, where = '', scale = 0) {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b), scale), `${where}: ${a} vs ${b}`);
    return;
  }
  if (Array.isArray(a)) {
    assert.ok(Array.isArray(b), where);
    assert.equal(a.length, b.length, where);
    const numbers = b.filter((x) => typeof x === 'number' && Number.isFinite(x));
    const columnScale = numbers.length === b.length ? Math.max(0, ...numbers.map(Math.abs)) : 0;
    a.forEach((x, i) => compareNumbers(x, b[i], tol, `${where}[${i}]`, columnScale));
    return;
  }
  if (a && typeof a === 'object' && Array.isArray(a.columns) && Array.isArray(a.data)) {
    assert.deepEqual(a.columns, b.columns, `${where}.columns`);
    a.columns.forEach((name, j) => {
      if (!derivedColumn(name)) compareNumbers(a.data[j], b.data[j], tol, `${where}.${name}`);
    });
    return;
  }
  if (a && typeof a === 'object') {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), where);
    for (const k of Object.keys(a)) compareNumbers(a[k], b[k], k === 'metrics' ? Math.sqrt(tol) : tol, `${where}.${k}`);
    return;
  }
  assert.equal(a, b, where);
}

function errorsIn(doc, where = '', out = []) {
  if (Array.isArray(doc)) doc.forEach((x, i) => errorsIn(x, `${where}[${i}]`, out));
  else if (doc && typeof doc === 'object')
    for (const [k, v] of Object.entries(doc)) {
      if (k === 'error' && v) out.push(`${where}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
      else errorsIn(v, `${where}.${k}`, out);
    }
  return out;
}

for (const file of planFiles) {
  test(`plans/${file}: every point is valid JSON, and the merged wasm results equal numen characterize's`, () => {
    const planPath = `models/plans/${file}`;
    const text = fs.readFileSync(path.join(root, planPath), 'utf8');
    const plan = M.compilePlan(text, planPath, allFiles, -1);
    let wasm;
    try {
      const points = [];
      for (let i = 0; i < plan.pointCount(); ++i) {
        const p = plan.runPoint(i);
        assert.doesNotThrow(
          () => JSON.parse(p),
          `point ${i} (${plan.pointLabel(i)}) is not valid JSON: ${p.slice(0, 200)}`,
        );
        points.push(p);
      }
      wasm = JSON.parse(plan.merge(points));
    } finally {
      plan.delete();
    }
    const out = path.join(os.tmpdir(), `numen-hosts-${process.pid}.json`);
    execFileSync(native, ['characterize', planPath, '-o', out, '-q'], { stdio: 'pipe', cwd: root });
    const reference = JSON.parse(fs.readFileSync(out, 'utf8'));
    fs.unlinkSync(out);
    assert.deepEqual(errorsIn(wasm), [], `${file}: errors in the wasm results`);
    assert.deepEqual(errorsIn(reference), [], `${file}: errors in the native results`);
    delete wasm.plan_file;
    delete reference.plan_file;
    compareNumbers(wasm, reference, Math.max(1e-7, 1000 * (reference.solver?.rtol ?? 0)));
  });
}

// The solution CSV: one writer in the core (solution_csv), used by the workbench's Export (the worker's
// solutionCsv) and by `numen run --outputs --format csv`. First the same numbers on both hosts, so the files must be
// equal byte for byte: states that stay where they start and outputs of parameters and time (no libm in the way),
// in display units with a scale (mm, km), saved at times and holding values whose shortest text is fixed notation
// where an exponent would be as short (0.0001, 100000: the hosts once wrote 1e-04 and 1e+05 differently).
function wasmCsv(text, file, options = {}) {
  const model = M.compileModel(text, file);
  try {
    const solution = M.solve(model, JSON.stringify(options), '{}');
    try {
      assert.equal(JSON.parse(solution.info()).status, 'success', `${file}: ${solution.info()}`);
      return M.solutionCsv(model, solution.t(), solution.x(), solution.y(), true);
    } finally {
      solution.delete();
    }
  } finally {
    model.delete();
  }
}

function nativeCsv(modelPath) {
  return execFileSync(native, ['run', modelPath, '--outputs', '--format', 'csv'], {
    cwd: root,
    maxBuffer: 1 << 28,
    encoding: 'utf8',
  });
}

const steadyModel = `model: csv_hosts
components:
  probe:
    states:
      x: { value: 0.5, unit: mm }
      y: { value: 1e-3, unit: m }
    params:
      v: { value: 36, unit: km/h }
      n: { value: 100000, unit: "1" }
    outputs:
      travelled: { unit: km }
      count: { unit: "1" }
systems:
  motion:
    slots: [p: probe]
    equations:
      - der(p.x) += 0 * p.v
      - der(p.y) += 0 * p.v
      - p.travelled = p.v * t
      - p.count = p.n
entities:
  probe1: { probe: {} }
simulate:
  tspan: [0, 0.001]
  dtsave: 0.0001
`;

test('the solution CSV of the same numbers is the same file from the wasm core and the native CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'numen-csv-'));
  try {
    const file = path.join(dir, 'csv_hosts.yaml');
    fs.writeFileSync(file, steadyModel);
    const cli = nativeCsv(file);
    const rows = cli.trim().split('\n');
    assert.equal(
      rows[0],
      't,probe1.probe.x [mm],probe1.probe.y [m],probe1.probe.travelled [km],probe1.probe.count [1]',
    );
    assert.equal(rows.length, 12, cli);
    assert.equal(rows[1], '0,0.5,0.001,0,100000');
    assert.match(cli, /^0\.0001,0\.5,0\.001,/m, 'a time of 0.0001 in fixed notation');
    assert.equal(wasmCsv(steadyModel, 'csv_hosts.yaml'), cli);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Then every shipped model: the same header (states, then outputs, with their units) and rows, and numbers that
// agree as the solutions do (see the first test: libm's last bits, early in a chaotic run).
for (const file of modelFiles) {
  test(`${file}: the wasm solution CSV has the native CLI's header and rows, and its numbers`, () => {
    const parse = (csv) =>
      csv
        .trim()
        .split('\n')
        .map((line) => line.split(','));
    const wasm = parse(wasmCsv(allFiles[file], file));
    const cli = parse(nativeCsv(path.join('models', file)));
    assert.deepEqual(wasm[0], cli[0], `${file}: header`);
    assert.equal(wasm.length, cli.length, `${file}: rows`);
    const chaotic = (tagsOf.get(file) ?? []).includes('chaos');
    const k = chaotic ? 1 + Math.floor((cli.length - 2) / 20) : cli.length - 1;
    cli[0].forEach((column, j) => {
      const scale = Math.max(...cli.slice(1).map((row) => Math.abs(Number(row[j]))), 1e-300);
      const [a, b] = [Number(wasm[k][j]), Number(cli[k][j])];
      assert.ok(Math.abs(a - b) <= 1e-6 * scale, `${file} ${column} in row ${k}: wasm ${a}, native ${b}`);
    });
  });
}
