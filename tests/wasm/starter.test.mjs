// Starter plans (web/src/app/starter.js): the output is a position of the driven component, the drive is per newton
// when the port is an acceleration on a mass, the frequencies span the natural frequency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPlaceholderPlan, starterChoice, starterPlan } from '../../web/src/app/starter.js';

const valve = {
  name: 'fluid_poppet',
  inputs: [{ key: 'valve.poppet.force', unit: 'm/s^2' }],
  states: [{ key: 'inlet_tank.volume.p' }, { key: 'valve.poppet.x' }, { key: 'valve.poppet.v' }],
  parameters: [
    { key: 'valve.poppet.m', value: 0.02, scale: 1 },
    { key: 'valve.poppet.k', value: 5000, scale: 1 },
  ],
};

test("a valve's starter plan measures the poppet's lift per newton around its 80 Hz resonance", () => {
  const c = starterChoice(valve);
  assert.equal(c.output, 'valve.poppet.x');
  assert.equal(c.scaleBy, 'valve.poppet.m');
  assert.ok(c.fStart < 80 && c.fEnd > 80, `${c.fStart}..${c.fEnd}`);
  assert.match(
    starterPlan(valve, 'fluid_poppet.yaml'),
    /output: valve\.poppet\.x, amplitude: 1, scale_by: valve\.poppet\.m/,
  );
});

test("only an empty plan or the page's own note is replaced", () => {
  const note = starterPlan({ ...valve, inputs: [] }, 'x.yaml');
  assert.equal(isPlaceholderPlan(note), true);
  assert.equal(isPlaceholderPlan('  \n'), true);
  assert.equal(isPlaceholderPlan('# my notes for the lab\n'), false);
  assert.equal(isPlaceholderPlan(starterPlan(valve, 'fluid_poppet.yaml')), false);
});
