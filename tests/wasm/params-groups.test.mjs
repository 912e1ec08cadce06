// The parameters panel's grouping (web/src/ui/params.js): a model with many parameters shows them by entity with
// the largest group open, from the real model descriptions of the core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore, readModel } from './load.mjs';
import { GROUP_ABOVE, entityGroups } from '../../web/src/ui/params.js';

const M = await loadCore();
const infoOf = (name) => {
  const model = M.compileModel(readModel(name), `${name}.yaml`);
  try {
    return JSON.parse(model.info());
  } finally {
    model.delete();
  }
};

test('the valve: grouped by entity, the poppet open, the tanks, pipes and orifices folded', () => {
  const info = infoOf('fluid_poppet');
  assert.ok(info.parameters.length + info.states.length > GROUP_ABOVE);
  const groups = entityGroups(info.parameters);
  assert.deepEqual(
    groups.map((g) => g.entity),
    ['inlet_tank', 'inlet_pipe', 'outlet_pipe', 'outlet_tank', 'orifice_in', 'orifice_out', 'valve'],
  );
  assert.deepEqual(
    groups.filter((g) => g.open).map((g) => g.entity),
    ['valve'],
  );
  assert.equal(groups.flatMap((g) => g.variables).length, info.parameters.length); // nothing lost
  // A changed value opens its group.
  assert.deepEqual(
    entityGroups(info.parameters, { 'inlet_tank.volume.V': 0.02 })
      .filter((g) => g.open)
      .map((g) => g.entity),
    ['inlet_tank', 'valve'],
  );
  assert.deepEqual(
    entityGroups(info.states)
      .filter((g) => g.open)
      .map((g) => g.entity),
    ['valve'],
  );
});

test('small models are not grouped', () => {
  for (const name of ['oscillator', 'pendulum', 'lorenz']) {
    const info = infoOf(name);
    assert.ok(info.parameters.length + info.states.length <= GROUP_ABOVE, name);
  }
});
