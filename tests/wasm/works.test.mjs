// The workbench's saves (web/src/app/works.js), a pure module: per-model saves, link copies, snapshots, migration of
// the single save of earlier versions, and the undo history of parameter changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, LEGACY_KEY, MemoryStorage, WorkStore, digest } from '../../web/src/app/works.js';

const stateOf = (name, text = `model: ${name}\n`) => ({
  v: 1,
  model: { name, file: `${name}.yaml`, text },
  overrides: {},
});

function clock() {
  let t = 1000;
  return () => (t += 10);
}

test('saves are separate: saving one never touches another', () => {
  const works = new WorkStore(new MemoryStorage(), clock());
  const a = works.create(stateOf('pendulum'), { origin: 'gallery:pendulum' });
  const b = works.create(stateOf('lorenz'), { origin: 'link', link: digest('#s=abc') });
  works.save(a, stateOf('pendulum', 'model: pendulum\n# edited\n'));
  works.save(b, stateOf('lorenz', 'model: lorenz\n# changed\n'));
  assert.equal(works.load(a).model.text, 'model: pendulum\n# edited\n');
  assert.equal(works.findWork('gallery:pendulum').id, a);
  assert.equal(works.findLink(digest('#s=abc')).id, b);
  assert.equal(works.findLink(digest('#s=abd')), null);
  assert.deepEqual(
    works.list().map((e) => e.id),
    [b, a],
  ); // the most recent first
});

test('snapshots are not the working save of their model', () => {
  const works = new WorkStore(new MemoryStorage(), clock());
  const a = works.create(stateOf('oscillator'), { origin: 'gallery:oscillator' });
  works.create(stateOf('oscillator'), { origin: 'gallery:oscillator', kind: 'snapshot', title: 'lab 1' });
  assert.equal(works.findWork('gallery:oscillator').id, a);
  assert.equal(works.list()[0].title, 'lab 1');
});

test('the legacy single save is migrated once and left in place', () => {
  const storage = new MemoryStorage();
  const legacy = stateOf('fluid_poppet', 'model: fluid_poppet\n# mine\n');
  storage.setItem(LEGACY_KEY, JSON.stringify(legacy));
  const works = new WorkStore(storage, clock());
  const id = works.migrate((s) => `gallery:${s.model.name}`);
  assert.ok(id);
  assert.equal(works.currentId(), id);
  assert.deepEqual(works.load(id), legacy);
  assert.equal(works.entry(id).origin, 'gallery:fluid_poppet');
  assert.equal(storage.getItem(LEGACY_KEY), JSON.stringify(legacy));
  assert.equal(works.migrate(), null); // once
  assert.equal(works.list().length, 1);
});

test('a full storage is reported, not thrown', () => {
  const storage = new MemoryStorage();
  const works = new WorkStore(storage, clock());
  const id = works.create(stateOf('a'));
  storage.setItem = () => {
    throw new Error('QuotaExceededError');
  };
  assert.equal(works.save(id, stateOf('a', 'x')), false);
  assert.equal(works.create(stateOf('b')), null);
});

test('undo history: a drag of one parameter is one step, a new change clears redo', () => {
  let t = 0;
  const h = new History({ now: () => t, mergeMs: 800 });
  let o = {};
  const change = (key, value, dt = 100) => {
    t += dt;
    h.record(o, key);
    o = { ...o, [key]: value };
  };
  change('k', 1);
  change('k', 2);
  change('k', 3); // one drag
  change('c', 5, 2000);
  o = h.undo(o);
  assert.deepEqual(o, { k: 3 });
  o = h.undo(o);
  assert.deepEqual(o, {});
  assert.equal(h.undo(o), null);
  o = h.redo(o);
  assert.deepEqual(o, { k: 3 });
  change('m', 1, 2000);
  assert.equal(h.canRedo(), false);
});
