// The worker protocol (web/src/core/protocol.js) against the worker's handlers (web/src/core/host.js), run under Node
// with the same wasm core the workbench ships: every message type has a handler and a documented reply, nothing is
// handled that the protocol does not name, an unknown type gets a clear error reply, and arguments travel apart
// from the envelope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, messages, request } from '../../web/src/core/protocol.js';
import { createHost } from '../../web/src/core/host.js';
import { planPoolSize } from '../../web/src/core/pool.js';
import { loadCore, readModel } from './load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const host = createHost(loadCore);

/// Sends one request and collects what the host posts back: progress messages, then the reply.
async function ask(type, args, { progress = false, id = 7 } = {}) {
  const posted = [];
  await host.receive(request(id, type, args, progress), (message, transfer) => posted.push({ message, transfer }));
  return {
    reply: posted.at(-1).message,
    progress: posted.slice(0, -1).map((p) => p.message),
    transfer: posted.at(-1).transfer,
  };
}

test('one table: every message type has a handler and a documented request and reply, and no handler is undocumented', () => {
  const types = Object.values(Type);
  assert.deepEqual(Object.keys(Type), types, 'each type is named by itself');
  assert.deepEqual(Object.keys(messages).sort(), [...types].sort(), 'every type is documented, nothing else is');
  assert.deepEqual(
    Object.keys(host.handlers).sort(),
    [...types].sort(),
    'every type has a handler, and every handler a type',
  );
  for (const type of types) {
    const doc = messages[type];
    assert.equal(typeof doc.summary, 'string', type);
    assert.ok(doc.summary.length > 10, `${type} says what it does`);
    assert.ok(typeof doc.reply === 'string' && doc.reply.length > 0, `${type} documents its reply`);
    assert.equal(typeof doc.args, 'object', `${type} documents its arguments`);
  }
  assert.ok(!('version' in host.handlers), 'the version request nobody sent is gone');
});

test('the client, the pool and the page name types from the table, never by string', () => {
  const client = fs.readFileSync(path.join(root, 'web/src/core/client.js'), 'utf8');
  assert.match(client, /request\(id, type, args/);
  for (const file of ['web/src/main.js', 'web/src/core/pool.js', 'web/src/core/client.js']) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const type of Object.values(Type))
      assert.doesNotMatch(text, new RegExp(`(call\\(|type: )'${type}'`), `${file} sends '${type}' as a string`);
  }
});

test('a request of an unknown type gets an error reply that names it and the types there are', async () => {
  const { reply } = await ask('version', {});
  assert.equal(reply.id, 7);
  assert.equal(reply.ok, false);
  assert.match(reply.error.message, /unknown request type `version`/);
  assert.match(reply.error.message, /compile/);
  assert.deepEqual(reply.error.diagnostics, []);
  assert.equal(reply.error.restarted, false);
  const missing = [];
  await host.receive({ id: 3 }, (message) => missing.push(message));
  assert.equal(missing[0].ok, false);
  assert.match(missing[0].error.message, /unknown request type `undefined`/);
});

test('arguments cannot collide with the envelope: args named id, type or progress stay arguments', async () => {
  const text = readModel('linear_msd');
  const { reply } = await ask(Type.compile, { text, file: 'linear_msd.yaml', id: 99, type: 'release', progress: true });
  assert.equal(reply.id, 7);
  assert.equal(reply.ok, true, reply.error?.message);
  assert.equal(typeof reply.result.model, 'number');
  const solved = await ask(
    Type.solve,
    { model: reply.result.model, options: { n_save_points: 11 }, settings: {} },
    { progress: true },
  );
  assert.equal(solved.reply.ok, true, solved.reply.error?.message);
  assert.equal(solved.reply.result.t.length, 11);
  assert.equal(solved.reply.result.info.status, 'success');
  assert.deepEqual(solved.transfer, [
    solved.reply.result.t.buffer,
    solved.reply.result.x.buffer,
    solved.reply.result.y.buffer,
  ]);
  for (const p of solved.progress) assert.ok(p.id === 7 && p.progress >= 0 && p.progress <= 1);
  assert.deepEqual((await ask(Type.release, { model: reply.result.model })).reply, { id: 7, ok: true, result: true });
  const gone = await ask(Type.solve, { model: reply.result.model });
  assert.match(gone.reply.error.message, /no compiled model/);
});

test("solutionCsv writes the solution the page holds with the core's writer, from the run's model text", async () => {
  const text = readModel('oscillator');
  const compiled = await ask(Type.compile, { text, file: 'oscillator.yaml' });
  const solved = await ask(Type.solve, { model: compiled.reply.result.model, options: { n_save_points: 5 } });
  await ask(Type.release, { model: compiled.reply.result.model }); // the page's handle may be gone: the text is enough
  const { t, x, y } = solved.reply.result;
  const { reply } = await ask(Type.solutionCsv, { text, file: 'oscillator.yaml', solution: { t, x, y } });
  assert.equal(reply.ok, true, reply.error?.message);
  const rows = reply.result.trim().split('\n');
  assert.equal(rows[0], 't,osc.oscillator.x [m],osc.oscillator.v [m/s],osc.oscillator.energy [J/kg]');
  assert.equal(rows.length, 6);
  assert.deepEqual(rows[1].split(',').slice(0, 3), ['0', '1', '0']);
  assert.deepEqual(
    rows.slice(1).map((r) => Number(r.split(',')[0])),
    Array.from(t),
  );
  assert.equal(Number(rows[3].split(',')[1]), x[2]); // shortest text that reads back: the same double
  // Series of another model are refused with the core's message, not read out of bounds.
  const wrong = await ask(Type.solutionCsv, { text: readModel('lorenz'), file: 'lorenz.yaml', solution: { t, x, y } });
  assert.equal(wrong.reply.ok, false);
  assert.match(wrong.reply.error.message, /does not fit model `lorenz`/);
});

test("the core's errors come back with their diagnostics", async () => {
  const { reply } = await ask(Type.compile, { text: 'model: broken\nparms: {}\n', file: 'broken.yaml' });
  assert.equal(reply.ok, false);
  assert.ok(reply.error.diagnostics.length > 0);
  assert.equal(reply.error.diagnostics[0].file, 'broken.yaml');
});

test("planInfo reports the plan's solver.workers; the pool takes it, capped by the machine's cores", async () => {
  const planText = fs.readFileSync(path.join(root, 'models/plans/linear_msd.plan.yaml'), 'utf8');
  const files = { 'linear_msd.yaml': readModel('linear_msd') };
  const withWorkers = planText.replace(/^solver:\n/m, 'solver:\n  workers: 3\n');
  const plan = (text) => ({ key: text, text, file: 'plans/linear_msd.plan.yaml', files, seed: -1 });
  const given = await ask(Type.planInfo, plan(withWorkers));
  assert.equal(given.reply.ok, true, given.reply.error?.message);
  assert.equal(given.reply.result.workers, 3);
  const left = await ask(Type.planInfo, plan(planText));
  assert.equal(left.reply.result.workers, 0);
  assert.equal(planPoolSize(3, 1, 8), 3, "the plan's count wins over the page's choice");
  assert.equal(planPoolSize(16, 1, 4), 4, 'never more workers than cores');
  assert.equal(planPoolSize(0, 2, 8), 2, "a plan without workers: the page's choice");
});
