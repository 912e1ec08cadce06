// Plans in the WebAssembly core: the same points and the same numbers as the native CLI, files from a JS object,
// and errors with positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore, readModel } from './load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const M = await loadCore();
const planPath = 'models/plans/nonlinear_oscillator.plan.yaml';
const planText = fs.readFileSync(path.join(root, planPath), 'utf8');
const files = { 'nonlinear_oscillator.yaml': readModel('nonlinear_oscillator') };

function runAll(plan) {
  const points = [];
  for (let i = 0; i < plan.pointCount(); ++i) points.push(plan.runPoint(i));
  return JSON.parse(plan.merge(points));
}

// Compare every number of two result documents; libm and the FFT round differently on each platform, so equal
// to a relative 1e-7 (the solver's own tolerance is 1e-8): anything algorithmic would differ far more.
function compareNumbers(a, b, where = '') {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(a), Math.abs(b)), `${where}: ${a} vs ${b}`);
    return;
  }
  if (Array.isArray(a)) {
    assert.equal(a.length, b.length, where);
    a.forEach((x, i) => compareNumbers(x, b[i], `${where}[${i}]`));
    return;
  }
  if (a && typeof a === 'object') {
    assert.deepEqual(Object.keys(a), Object.keys(b), where);
    for (const k of Object.keys(a)) compareNumbers(a[k], b[k], `${where}.${k}`);
    return;
  }
  assert.equal(a, b, where);
}

test('a plan runs point by point and merges like the native CLI', () => {
  const plan = M.compilePlan(planText, planPath, files, -1);
  try {
    assert.equal(plan.pointCount(), 123);
    assert.equal(plan.pointLabel(0), 'chirp 1/1');
    const wasm = runAll(plan);
    const native = path.join(root, 'build/native/cli/numen');
    const out = path.join(os.tmpdir(), `numen-native-${process.pid}.json`);
    execFileSync(native, ['characterize', planPath, '-o', out, '-q'], { stdio: 'pipe', cwd: root });
    const reference = JSON.parse(fs.readFileSync(out, 'utf8'));
    fs.unlinkSync(out);
    assert.equal(wasm.tests.length, reference.tests.length);
    delete wasm.plan_file;
    delete reference.plan_file;
    compareNumbers(wasm, reference);
  } finally {
    plan.delete();
  }
});

test('points can run in separate instances (the worker pool) and merge in any of them', () => {
  const text = `model: { file: ../linear_msd.yaml }
solver: { method: Tsit5, rtol: 1e-9, atol: 1e-12 }
excitation: { entity: mass, component: body, port: force, output: mass.body.x, scale_by: mass.body.m }
tests:
  - { name: sine, type: discrete_frequency_sweep, frequencies: [2, 5.0279, 9] }
`;
  const msd = { 'linear_msd.yaml': readModel('linear_msd') };
  const a = M.compilePlan(text, 'plan.yaml', msd, -1);
  const b = M.compilePlan(text, 'plan.yaml', msd, -1);
  const points = [a.runPoint(0), b.runPoint(1), a.runPoint(2)];
  const doc = JSON.parse(b.merge(points));
  const [f, , , , re, im] = doc.tests[0].tables.frf.data;
  f.forEach((freq, i) => {
    const w = 2 * Math.PI * freq;
    const den = (1000 - w * w) ** 2 + (2 * w) ** 2;
    assert.ok(Math.abs(re[i] - (1000 - w * w) / den) < 1e-5 * Math.sqrt(1 / den));
    assert.ok(Math.abs(im[i] + (2 * w) / den) < 1e-5 * Math.sqrt(1 / den));
  });
  const csv = M.resultsCsv(JSON.stringify(doc));
  assert.equal(csv[0].name, 'sine.csv');
  assert.match(csv[0].text, /^frequency,magnitude,/);
  a.delete();
  b.delete();
});

test('plan errors carry positions; missing files name what is missing', () => {
  assert.throws(
    () => M.compilePlan(planText.replace('amplitudes:', 'amplitude_list:'), planPath, files, -1),
    (e) => {
      assert.match(e.message, /nonlinear_oscillator\.plan\.yaml:\d+:\d+: error: unknown key `amplitude_list`/);
      assert.ok(e.diagnostics.length >= 1);
      return true;
    },
  );
  assert.throws(() => M.compilePlan(planText, planPath, {}, -1), /no file `nonlinear_oscillator\.yaml`/);
  const diagnostics = JSON.parse(M.checkPlan('tests: 3', 'p.yaml', {}));
  assert.ok(diagnostics.length >= 2 && diagnostics.every((d) => d.file === 'p.yaml' && d.line >= 1));
  assert.equal(JSON.parse(M.planSchema()).$id, 'numen:plan.schema.json');
});
