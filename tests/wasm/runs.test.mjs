// Kept runs (web/src/app/runs.js): default names say what changed, the store's actions keep, rename, show and
// delete them, and a save's list is read back safely.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_KEPT_RUNS, changeLabel, freeDash, keptRun, normalizeRuns, uniqueName } from '../../web/src/app/runs.js';
import { Store } from '../../web/src/app/store.js';
import { initialState, normalize } from '../../web/src/app/state.js';

const info = {
  parameters: [
    { key: 'valve.poppet.k', unit: 'kN/m' },
    { key: 'valve.poppet.c', unit: 'N*s/m' },
    { key: 'osc.oscillator.zeta', unit: '1' },
    { key: 'm1.mass.m', unit: 'kg' },
    { key: 'm2.mass.m', unit: 'kg' },
  ],
  states: [{ key: 'valve.poppet.x', unit: 'mm' }],
};

test('a run is named by what changed, in display units', () => {
  assert.equal(changeLabel(info, { 'valve.poppet.k': 2 }), 'k = 2 kN/m');
  assert.equal(changeLabel(info, { 'osc.oscillator.zeta': 0.30000000000000004 }), 'zeta = 0.3');
  assert.equal(changeLabel(info, { 'valve.poppet.k': 2, 'valve.poppet.x': 1.5 }), 'k = 2 kN/m, x = 1.5 mm');
  assert.equal(
    changeLabel(info, { 'valve.poppet.k': 2, 'valve.poppet.c': 40, 'valve.poppet.x': 1 }),
    'k = 2 kN/m, c = 40 N*s/m and 1 more',
  );
  assert.equal(changeLabel(info, { 'm1.mass.m': 2, 'm2.mass.m': 3 }), 'm1.m = 2 kg, m2.m = 3 kg');
  assert.equal(changeLabel(info, {}, { method: 'Rodas5P', rtol: '' }), 'method Rodas5P');
  assert.equal(changeLabel(info, {}, {}), 'as written');
});

test('names stay unique; a new run takes a dash pattern no kept run uses', () => {
  assert.equal(uniqueName('k = 2 kN/m', []), 'k = 2 kN/m');
  assert.equal(uniqueName('a', ['a', 'a (2)']), 'a (3)');
  assert.equal(freeDash([{ dash: 0 }, { dash: 2 }]), 1);
});

test("kept runs change through the store's actions, and every change is heard (autosave)", () => {
  const store = new Store(initialState({ name: 'm', file: 'm.yaml', text: 'model: m' }, ''));
  const heard = [];
  store.subscribe(({ action }) => heard.push(action));
  const run = (id, name) => keptRun({ id, name, text: 'model: m', file: 'm.yaml', set: { k: 2000 } });
  assert.equal(store.dispatch('keepRun', run('a', 'k = 2 kN/m')), true);
  assert.equal(store.dispatch('keepRun', run('b', 'k = 2 kN/m')), true);
  assert.deepEqual(
    store.state.runs.map((r) => r.name),
    ['k = 2 kN/m', 'k = 2 kN/m (2)'],
  );
  assert.equal(store.dispatch('renameRun', 'b', '  stiff  '), true);
  assert.equal(store.dispatch('renameRun', 'b', '   '), false);
  assert.equal(store.dispatch('showRun', 'a', false), true);
  assert.deepEqual(
    store.state.runs.map((r) => [r.name, r.visible]),
    [
      ['k = 2 kN/m', false],
      ['stiff', true],
    ],
  );
  assert.equal(store.dispatch('deleteRun', 'a'), true);
  assert.equal(store.dispatch('deleteRun', 'a'), false);
  assert.deepEqual(
    store.state.runs.map((r) => r.id),
    ['b'],
  );
  for (let i = 1; i < MAX_KEPT_RUNS; ++i) store.dispatch('keepRun', run(`r${i}`, 'x'));
  assert.equal(store.dispatch('keepRun', run('over', 'x')), false, 'no more than MAX_KEPT_RUNS');
  assert.deepEqual(heard.slice(0, 7), [
    'keepRun',
    'keepRun',
    'renameRun',
    'renameRun',
    'showRun',
    'deleteRun',
    'deleteRun',
  ]);
});

test("a save's kept runs are read back, malformed ones dropped; older saves have none", () => {
  const base = initialState({ name: 'm', file: 'm.yaml', text: '' }, '');
  const saved = { ...base, runs: [{ id: 'a', name: 'n', text: 't', file: 'f' }, { id: 3 }, null] };
  const back = normalize(saved, base);
  assert.deepEqual(
    back.runs.map((r) => [r.id, r.visible, r.dash]),
    [['a', true, 0]],
  );
  const older = { ...base };
  delete older.runs;
  assert.deepEqual(normalize(older, base).runs, []);
  assert.deepEqual(normalizeRuns('nonsense'), []);
});
