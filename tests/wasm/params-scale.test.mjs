// The parameter sliders' ranges: a field's own `min:`/`max:` from the model file, as the core reports them, set the
// slider's ends (Van der Pol's description asks to raise mu to 1000; its slider must get there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore, readModel } from './load.mjs';
import { sliderScale } from '../../web/src/ui/params.js';

const M = await loadCore();

function parameter(name, key) {
  const model = M.compileModel(readModel(name), `${name}.yaml`);
  try {
    return JSON.parse(model.info()).parameters.find((p) => p.key === key);
  } finally {
    model.delete();
  }
}

test("Van der Pol's mu slider spans the file's 0..1000", () => {
  const mu = parameter('van_der_pol', 'vdp.oscillator.mu');
  assert.ok(mu, 'mu is a parameter');
  assert.equal(mu.min, 0);
  assert.equal(mu.max, 1000);
  const scale = sliderScale(mu.value, mu.min, mu.max);
  assert.equal(scale.toValue(1000), 1000);
  assert.equal(scale.toValue(0), 0);
  assert.ok(Math.abs(scale.toValue(scale.toSlider(10)) - 10) < 1e-9);
});

test('two decades or more between positive ends make the slider logarithmic; none given: 1/10x..10x', () => {
  const log = sliderScale(1, 0.01, 100);
  assert.ok(Math.abs(log.toValue(500) - 1) < 1e-12); // the middle step is the geometric middle
  assert.ok(Math.abs(log.toValue(1000) - 100) < 1e-12);
  const around = sliderScale(5);
  assert.ok(Math.abs(around.toValue(0) - 0.5) < 1e-12);
  assert.ok(Math.abs(around.toValue(1000) - 50) < 1e-12);
});
