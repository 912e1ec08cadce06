// The workbench's store (web/src/app/store.js): named actions, subscribers, undo of parameters, and the rule that
// the text wins over a stale override.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store, staleOverrides } from '../../web/src/app/store.js';
import { History } from '../../web/src/app/works.js';

const state = () => ({
  model: { name: 'pendulum', text: '' },
  plan: { text: '' },
  settings: {},
  overrides: {},
  view: { sweep: {} },
});

test('every action is heard by the subscribers: autosave is one', () => {
  const store = new Store(state());
  const heard = [];
  store.subscribe(({ action }) => heard.push(action));
  store.dispatch('setParam', 'p.p.L', 2);
  store.dispatch('setView', 'tab', 'sweep');
  store.dispatch('setSweep', 'count', '4');
  assert.deepEqual(heard, ['setParam', 'setView', 'setSweep']);
  assert.equal(store.state.view.tab, 'sweep');
  assert.throws(() => store.dispatch('nothing'), /no action nothing/);
});

test('parameters undo and redo through the store; replacing the state starts a new history', () => {
  let t = 0;
  const store = new Store(state(), { history: new History({ now: () => (t += 1000) }) });
  store.dispatch('setParam', 'k', 1);
  store.dispatch('setParam', 'k', 2);
  assert.equal(store.dispatch('undo'), true);
  assert.deepEqual(store.state.overrides, { k: 1 });
  assert.equal(store.dispatch('redo'), true);
  assert.deepEqual(store.state.overrides, { k: 2 });
  store.replace(state());
  assert.equal(store.dispatch('undo'), false);
});

test('the text wins over a stale override, and only over that one', () => {
  const before = [
    { key: 'L', value: 1, unit: 'm' },
    { key: 'g', value: 9.81, unit: 'm/s^2' },
  ];
  const after = [
    { key: 'L', value: 2, unit: 'm' },
    { key: 'g', value: 9.81, unit: 'm/s^2' },
  ];
  assert.deepEqual(staleOverrides({ L: 3.9, g: 9.7, gone: 1 }, before, after), ['L', 'gone']);
  const store = new Store(state());
  store.dispatch('setParam', 'L', 3.9);
  store.dispatch('compiled', { name: 'my_pendulum', before, after });
  assert.deepEqual(store.state.overrides, {});
  assert.equal(store.state.model.name, 'my_pendulum');
});
