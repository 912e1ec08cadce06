// Completion inside equations (web/src/editor/equation-complete.js), with the core's own function table: where an
// expression is being typed, the slots of its system, the fields of a slot's component, der( at the start, and the
// functions with their arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore, readModel } from './load.mjs';
import { unitCatalogue, unitContext, unitOptions } from '../../web/src/editor/unit-complete.js';
import {
  componentFields,
  documentValue,
  equationContext,
  equationOptions,
  functionTemplate,
  systemSlots,
} from '../../web/src/editor/equation-complete.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const M = await loadCore();
const functions = JSON.parse(M.functionsJson());

const model = `model: springs
functions:
  spring_force(k, dx): k * dx
components:
  loop:
    states: { x: 0 m, v: { value: 0, unit: m/s, description: velocity } }
    params: { k: 10 N/m, m: 1 kg }
    algebraics: { z: 0 N }
    outputs: { energy: J }
systems:
  motion:
    slots: [c: loop]
    equations:
      - F = c.k * c.x
      - der(c.x) += c.v
      - der(c.v) += -F / c.m
      - CURSOR
    events: [{ when: "c.x < 0", do: ["c.v = -c.v"] }]
entities: { a: { loop: {} } }
`;

/// Options at the text typed in place of CURSOR: {labels, from, context}.
function at(typed, { explicit = false, text = model } = {}) {
  const doc = text.replace('CURSOR', typed);
  const pos = text.indexOf('CURSOR') + typed.length;
  const where = equationContext(doc, pos);
  if (!where) return { where };
  const r = equationOptions(documentValue(doc), where.system, where.kind, where.head, functions, { explicit, doc });
  return { where, labels: r?.options.map((o) => o.label) ?? [], result: r };
}

test('an equation item is an expression context; keys and other sections are not', () => {
  assert.deepEqual(at('der(c.').where, { system: 'motion', kind: 'equation', head: 'der(c.' });
  const doc = model.replace('CURSOR', 'x');
  assert.equal(equationContext(doc, doc.indexOf('loop:') + 2), null); // a key
  assert.equal(equationContext(doc, doc.indexOf('10 N/m') + 2), null); // a parameter value
  // Quoted, in a flow list, in an event's condition and action.
  const flow = 'systems:\n  s: { slots: [m: mass], equations: ["der(m.x) += m.' + '"] }\n';
  assert.deepEqual(equationContext(flow, flow.indexOf('m.' + '"') + 2), {
    system: 's',
    kind: 'equation',
    head: 'der(m.x) += m.',
  });
  assert.equal(equationContext(doc, doc.indexOf('c.x < 0') + 3).kind, 'condition');
  assert.equal(equationContext(doc, doc.indexOf('-c.v"') + 3).kind, 'assignment');
});

test('the slot names of the system, accepted with their dot', () => {
  const { labels, result } = at('c', { explicit: true });
  assert.ok(labels.includes('c'));
  assert.equal(result.options.find((o) => o.label === 'c').apply, 'c.');
  assert.deepEqual(systemSlots(documentValue(model), 'motion'), { c: 'loop' });
});

test("after a slot's dot, its component's fields: states, params, algebraics, outputs, with units", () => {
  const { labels, result } = at('der(c.v) += -c.');
  assert.deepEqual(labels, ['x', 'v', 'k', 'm', 'z', 'energy']);
  const v = result.options.find((o) => o.label === 'v');
  assert.equal(v.detail, 'state [m/s]');
  assert.equal(v.info, 'velocity');
  assert.equal(result.options.find((o) => o.label === 'k').detail, 'param [N/m]');
  assert.equal(result.options.find((o) => o.label === 'energy').detail, 'output [J]');
  assert.deepEqual(at('c.e').labels, ['energy']); // narrowed by what is typed
  assert.deepEqual(at('der(c.').labels, ['x', 'v']); // der( takes a state
  assert.deepEqual(at('residual(c.').labels, ['z']); // residual( an algebraic
  assert.ok(!at('q.').result); // not a slot of this system
  assert.deepEqual(componentFields(documentValue(model), 'nothing'), []);
});

test('der( at the start of an equation; functions with their argument lists; locals and constants', () => {
  const start = at('d');
  assert.ok(start.labels.includes('der'));
  assert.equal(start.result.options.find((o) => o.label === 'der').template, 'der(${state}) += ${expression}');
  assert.ok(!at('x + d').labels.includes('der'), 'der only starts an equation');
  const s = at('c.x + s');
  for (const name of [
    'sqrt',
    'sin',
    'sinh',
    'sign',
    'sum',
    'smooth_step',
    'smooth_abs',
    'softpen',
    'step',
    'spring_force',
  ])
    assert.ok(s.labels.includes(name), name);
  const atan2 = at('atan').result.options.find((o) => o.label === 'atan2');
  assert.equal(atan2.detail, '(y, x)');
  assert.equal(atan2.template, 'atan2(${y}, ${x})');
  const orifice = at('ori').result.options.filter((o) => o.label === 'orifice_mdot')[0];
  assert.match(orifice.info, /p_up \[Pa\]/);
  assert.equal(at('spr').result.options.find((o) => o.label === 'spring_force').template, 'spring_force(${k}, ${dx})');
  assert.equal(functionTemplate('min', ['a', 'b', '...']), 'min(${a}, ${b})');
  assert.ok(at('x + F', { explicit: true }).labels.includes('F'), 'a local of the system');
  assert.ok(at('2 * p').labels.includes('pi'));
  // Every function of the core's table is offered somewhere.
  const all = at('', { explicit: true }).labels;
  for (const f of functions.functions) assert.ok(all.includes(f.name), f.name);
});

test('nothing inside numbers or unit literals', () => {
  assert.ok(!at('9.81[m').result);
  assert.ok(!at('3e').result);
  assert.ok(!at('x + ').result); // a space alone does not pop the list up
});

test('every gallery model: each slot of each system completes to the fields its component declares', () => {
  // Data-driven over models/: the model's own systems whose slots name the model's own components (components
  // from `use:` libraries are the Libraries tab's).
  const names = fs
    .readdirSync(path.join(root, 'models'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5));
  let checked = 0;
  for (const name of names) {
    const value = documentValue(readModel(name));
    for (const [system] of Object.entries(value.systems ?? {})) {
      for (const [slot, component] of Object.entries(systemSlots(value, system))) {
        if (!value.components?.[component]) continue;
        ++checked;
        const r = equationOptions(value, system, 'equation', `${slot}.`, functions);
        const fields = componentFields(value, component).map((f) => f.name);
        assert.ok(fields.length > 0, `${name}: ${component} has fields`);
        assert.deepEqual(
          r.options.map((o) => o.label),
          fields,
          `${name}: ${system}.${slot}`,
        );
      }
    }
  }
  assert.ok(checked >= 30, `slots checked: ${checked}`);
});

test("a literal's unit in brackets completes from the core's unit table", () => {
  const catalogue = unitCatalogue(JSON.parse(M.unitsJson()));
  const units = (head) => {
    const where = unitContext(head);
    return where ? unitOptions(catalogue, where.word).map((o) => o.label) : null;
  };
  assert.ok(units('      - der(b.v) += -9.81[m/s').includes('m/s^2'));
  assert.ok(units('      - x = 20[deg').includes('degC'));
  assert.ok(units('      - w = 2*pi[r').includes('rad/s'));
  assert.equal(units('      - y = a[k'), null); // an index, not a literal
});
