// The standard library in the browser: the core hands its files to the page (standardLibraries, the texts of
// models/lib/), models that use it compile by name alone, user library files come in the files object, and the
// page's reading of `use:` (web/src/app/libraries.js) finds what completion and the library view need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from './load.mjs';
import {
  declaredNames,
  libraryCompletions,
  standardLibrariesUsed,
  usedLibraries,
} from '../../web/src/app/libraries.js';

const M = await loadCore();
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const stdlib = M.standardLibraries();

test('the core carries every file of models/lib/, as it is on disk', () => {
  const files = fs.readdirSync(path.join(root, 'models', 'lib')).filter((f) => f.endsWith('.yaml'));
  assert.deepEqual(Object.keys(stdlib).sort(), files.map((f) => f.replace(/\.yaml$/, '')).sort());
  for (const f of files)
    assert.equal(stdlib[f.replace(/\.yaml$/, '')], fs.readFileSync(path.join(root, 'models', 'lib', f), 'utf8'));
});

test('a model on the standard library compiles from its text alone; a user library from the files object', () => {
  const poppet = M.compileModel(
    fs.readFileSync(path.join(root, 'models', 'fluid_poppet.yaml'), 'utf8'),
    'fluid_poppet.yaml',
  );
  assert.ok(JSON.parse(poppet.info()).states.some((s) => s.key === 'valve.poppet.x'));
  poppet.delete();
  const parts = 'library: parts\ncomponents:\n  cell: { description: c, states: { q: 1 } }\n';
  const model = 'model: m\nuse: [./parts.yaml]\nentities:\n  a: { cell: {} }\n';
  const m = M.compileModel(model, 'm.yaml', { 'parts.yaml': parts });
  assert.deepEqual(
    JSON.parse(m.info()).states.map((s) => s.key),
    ['a.cell.q'],
  );
  m.delete();
  const errors = JSON.parse(M.checkModel(model, 'm.yaml', { 'parts.yaml': parts.replace('states', 'stats') }));
  assert.equal(errors[0].file, 'parts.yaml');
  assert.equal(errors[0].line, 3);
});

test('the page reads `use:` and the names a library declares', () => {
  assert.deepEqual(usedLibraries('model: m\nuse: [pneumatic, ./my parts.yaml]  # two\n'), [
    'pneumatic',
    './my parts.yaml',
  ]);
  assert.deepEqual(usedLibraries('model: m\nuse:\n  - thermal\n  - "control"\nentities: {}\n'), ['thermal', 'control']);
  assert.deepEqual(usedLibraries('model: m\n'), []);
  assert.ok(declaredNames(stdlib.pneumatic, 'components').includes('poppet'));
  assert.ok(declaredNames(stdlib.pneumatic, 'systems').includes('poppet_valve'));
  assert.deepEqual(declaredNames('components: { a: {}, b: { x: 1 } }\n', 'components'), ['a', 'b']);
  assert.deepEqual(
    standardLibrariesUsed('use: [thermal, ./mine.yaml]\n', stdlib).map((l) => l.name),
    ['thermal'],
  );
});

test('completion offers a bare name where one library has it and the qualified name always', () => {
  const labels = (text) => libraryCompletions(text, stdlib, 'components').map((o) => o.label);
  const one = labels('model: m\nuse: [pneumatic]\n');
  assert.ok(one.includes('poppet') && one.includes('volume') && one.includes('pneumatic.volume'));
  const two = labels('model: m\nuse: [pneumatic, hydraulic]\n');
  assert.ok(!two.includes('volume'), 'volume is ambiguous: both declare it');
  assert.ok(two.includes('pneumatic.volume') && two.includes('hydraulic.volume') && two.includes('laminar_pipe'));
  assert.ok(labels('model: m\nuse: [thermal]\ncomponents:\n  mine: {}\n').includes('mine'));
});
