// Units between the core and the workbench, under Node: the unit table is bound, every unit the editor's completion
// offers is one the core accepts, the page's conversions (web/src/app/units.js, used by the plots and the runs'
// `set`) agree with the core's coherent values, and the Bode axis names the FRF's unit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore, readModel } from './load.mjs';
import { unitCatalogue, unitContext, unitOptions, documentUnits } from '../../web/src/editor/unit-complete.js';
import { coherentSet, displaySeries, tidyUnit, toCoherent, toDisplay } from '../../web/src/app/units.js';
import { timeAxisTitle, variableSeries } from '../../web/src/plots/timeseries.js';
import { inDecibels, panelFigure, withUnit } from '../../web/src/plots/panels.js';

const M = await loadCore();
const table = JSON.parse(M.unitsJson());
const catalogue = unitCatalogue(table);

const labels = (head, doc = '') => {
  const where = unitContext(head);
  return where ? unitOptions(catalogue, where.word, documentUnits(doc)).map((o) => o.label) : null;
};

test('the unit table is bound: units with their SI scale, and the SI prefixes', () => {
  const bar = table.units.find((u) => u.symbol === 'bar');
  assert.deepEqual([bar.scale, bar.si, bar.prefixes], [1e5, 'kg/(m*s^2)', true]);
  assert.ok(table.units.some((u) => u.symbol === 'N' && u.prefixes));
  assert.deepEqual(
    table.prefixes.find(([p]) => p === 'k'),
    ['k', 1000],
  );
});

test('after a number, completion offers the units that start with what is typed', () => {
  const k = labels('  k: 20 k');
  for (const u of ['kN', 'kN/m', 'kPa', 'kg', 'km/h']) assert.ok(k.includes(u), u);
  assert.ok(
    k.every((u) => u.startsWith('k')),
    'only what starts with `k`',
  );
  assert.ok(k.length < 60, `not a flood: ${k.length} options`);
  // A compound is completed name by name.
  const perLength = labels('  k: 20 kN/');
  assert.equal(perLength[0], 'kN/m'); // the common compound first, then each unit after the `/`
  assert.ok(perLength.includes('kN/s') && perLength.includes('kN/Pa'));
  assert.ok(perLength.every((u) => u.startsWith('kN/')));
  // Micro, written either way.
  assert.ok(labels('x: 3 µ').includes('µm'));
  assert.ok(labels('x: 3 u').includes('um'));
  // In equations too (literals may carry units), and after `2*pi`.
  assert.ok(labels('      - der(b.v) += -9.81 m/s').includes('m/s^2'));
  assert.ok(labels('omega: 2*pi r').includes('rad/s'));
});

test("after `unit:` completion offers units, the document's own first", () => {
  const doc = 'states:\n  T: { value: 1, unit: J/(kg*K) }\n';
  assert.equal(labels('x: { value: 3, unit: J', doc)[0], 'J/(kg*K)');
  assert.ok(labels('x: { value: 3, unit: m').includes('mm'));
  assert.ok(labels('time_unit: m').includes('min'));
});

test('no unit completion where no unit goes', () => {
  assert.equal(labels('  k: 20'), null); // still typing the number
  assert.equal(labels('  k: x2 k'), null); // a name, not a number
  assert.equal(labels('  # about 20 k'), null); // a comment
  assert.equal(labels('  description: k'), null);
  assert.equal(labels('  k: 20kN'), null); // `20kN` is an error, not a unit to complete
});

test('every unit the completion can offer is one the core accepts', () => {
  const offered = new Set([...catalogue.compounds, ...catalogue.atoms.map((a) => a.label)]);
  const units = [...offered];
  const params = units.map((u, i) => `      p${i}: { value: 1, unit: "${u}" }`).join('\n');
  const text = `model: all_units\ncomponents:\n  c:\n    params:\n${params}\nentities:\n  e: { c: {} }\n`;
  const diagnostics = JSON.parse(M.checkModel(text, 'all_units.yaml'));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => `${units[d.line - 5]}: ${d.message}`),
    [],
  );
  assert.ok(units.length > 200, `${units.length} units`);
});

test('display values and coherent values convert as the core does', () => {
  const text = readModel('oscillator')
    .replace('x: { value: 1, unit: m,', 'x: { value: 1000, unit: mm,')
    .replace('v: { value: 0, unit: m/s,', 'v: { value: 36, unit: km/h,');
  const model = M.compileModel(text, 'oscillator.yaml');
  try {
    const info = JSON.parse(model.info());
    const [x, v] = info.states;
    assert.deepEqual([x.value, v.value], [1000, 36]); // shown as written
    assert.ok(Math.abs(toCoherent(v, 36) - 10) < 1e-12);
    assert.ok(Math.abs(toDisplay(v, 10) - 36) < 1e-12);
    const set = coherentSet(info, { 'osc.oscillator.v': 72, 'osc.oscillator.zeta': 0.05, 'no.such.key': 3 });
    assert.ok(Math.abs(set['osc.oscillator.v'] - 20) < 1e-12);
    assert.equal(set['osc.oscillator.zeta'], 0.05);
    assert.equal(set['no.such.key'], 3); // left for the core to report
    delete set['no.such.key'];
    const s = M.solve(model, JSON.stringify({ n_save_points: 3 }), JSON.stringify({ set }));
    try {
      const solution = { t: s.t(), x: s.x(), y: s.y() };
      const xs = variableSeries(info, solution, 'osc.oscillator.x');
      const vs = variableSeries(info, solution, 'osc.oscillator.v');
      assert.equal(xs.values[0], 1000); // mm
      assert.ok(Math.abs(vs.values[0] - 72) < 1e-9); // km/h
      assert.ok(Math.abs(solution.x[3] - 20) < 1e-12); // the core's own numbers are coherent: m/s
    } finally {
      s.delete();
    }
  } finally {
    model.delete();
  }
  // Affine units: degC shown from kelvin.
  const celsius = { scale: 1, offset: 273.15 };
  assert.deepEqual(
    Array.from(displaySeries(celsius, new Float64Array([273.15, 293.15]))).map((c) => Number(c.toFixed(9))),
    [0, 20],
  );
  const plain = new Float64Array([1, 2]);
  assert.equal(displaySeries({ scale: 1, offset: 0 }, plain), plain); // nothing to convert: the same array
});

test('derived units on axes lose only redundant parentheses', () => {
  assert.equal(tidyUnit('m/((m/s^2)*(kg))'), 'm/((m/s^2)*kg)');
  assert.equal(tidyUnit('m/(N)'), 'm/N');
  assert.equal(tidyUnit('(m)^2/Hz'), 'm^2/Hz');
  assert.equal(tidyUnit('J/(kg*K)'), 'J/(kg*K)');
});

test('the Bode magnitude axis names its unit, and in dB its reference', () => {
  const text = `model: { file: ../linear_msd.yaml }
excitation: { entity: mass, component: body, port: force, output: mass.body.x, scale_by: mass.body.m }
tests:
  - { name: lin, type: linearized_frf, frequencies: [1, 5, 9] }
`;
  const plan = M.compilePlan(text, 'plan.yaml', { 'linear_msd.yaml': readModel('linear_msd') }, -1);
  try {
    const points = [];
    for (let i = 0; i < plan.pointCount(); ++i) points.push(plan.runPoint(i));
    const doc = JSON.parse(plan.merge(points));
    const unit = doc.tests[0].tables.frf.units[doc.tests[0].tables.frf.columns.indexOf('magnitude')];
    assert.equal(unit, 'm/N'); // the drive (m/s^2 scaled by kg) is a force, so the FRF is in metres per newton
    const title = (panel) => panelFigure(panel, doc).layout.yaxis.title.text;
    assert.equal(title({ type: 'bode', tests: ['lin'], db: true }), `|H| [dB re 1 ${tidyUnit(unit)}]`);
    assert.equal(title({ type: 'bode', tests: ['lin'], db: false }), `|H| [${tidyUnit(unit)}]`);
  } finally {
    plan.delete();
  }
  // The form of the example, and a pure ratio.
  assert.equal(inDecibels('|H|', 'm/(N)'), '|H| [dB re 1 m/N]');
  assert.equal(withUnit('|H|', 'm/(N)'), '|H| [m/N]');
  assert.equal(inDecibels('|H|', ''), '|H| [dB]');
  assert.equal(withUnit('|H|', ''), '|H|');
});

test("the model's time unit reaches the page for the time axis", () => {
  for (const [name, unit] of [
    ['predator_prey', 'yr'],
    ['lorenz', '1'],
    ['oscillator', 's'],
  ]) {
    const model = M.compileModel(readModel(name), `${name}.yaml`);
    try {
      assert.equal(JSON.parse(model.info()).time_unit, unit, name);
    } finally {
      model.delete();
    }
  }
  assert.equal(timeAxisTitle({ time_unit: 'yr' }), 't [yr]');
  assert.equal(timeAxisTitle({ time_unit: '1' }), 't');
  assert.equal(timeAxisTitle({}), 't [s]');
});
