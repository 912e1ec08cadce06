// Plans in the WebAssembly core: files from a JS object, points in separate instances, and errors with positions.
// (Every shipped plan against the native CLI: hosts.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore, readModel } from './load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const M = await loadCore();
const planPath = 'models/plans/nonlinear_oscillator.plan.yaml';
const planText = fs.readFileSync(path.join(root, planPath), 'utf8');
const files = { 'nonlinear_oscillator.yaml': readModel('nonlinear_oscillator') };

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
