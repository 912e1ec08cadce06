// Plot ticks (web/src/plots/ticks.js): log axes labelled with whole values, phase ticks at 45/90 degrees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logTicks, phaseStep, readableTicks, tickLabel } from '../../web/src/plots/ticks.js';
import { palette } from '../../web/src/plots/timeseries.js';

test('log ticks read as the values they mark: 0.5 Hz is "0.5", 20 Hz is "20"', () => {
  const { tickvals, ticktext } = logTicks(0.1, 100);
  assert.deepEqual(ticktext, ['0.1', '0.2', '0.5', '1', '2', '5', '10', '20', '50', '100']);
  assert.deepEqual(tickvals, [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]);
  assert.deepEqual(logTicks(1e-9, 1e3).ticktext, [
    '1e-9',
    '1e-8',
    '1e-7',
    '1e-6',
    '1e-5',
    '0.0001',
    '0.001',
    '0.01',
    '0.1',
    '1',
    '10',
    '100',
    '1000',
  ]);
  assert.equal(tickLabel(0.30000000000000004), '0.3');
  assert.equal(logTicks(0, 10), null);
});

test('phase ticks step by 45 or 90 degrees', () => {
  assert.equal(phaseStep(180), 45);
  assert.equal(phaseStep(360), 90);
  const figure = readableTicks({
    data: [
      { x: [0.5, 1, 20], y: [-1, -3, -170], yaxis: 'y2' },
      { x: [0.5, 20], y: [1e-3, 1e-5] },
    ],
    layout: { xaxis: { type: 'log' }, yaxis: { type: 'log' }, yaxis2: { title: { text: 'phase [deg]' } } },
  });
  assert.deepEqual(figure.layout.xaxis.ticktext, ['0.5', '1', '2', '5', '10', '20']);
  assert.equal(figure.layout.yaxis2.dtick, 45);
  assert.equal(figure.layout.yaxis2.tick0, 0);
});

test('the palette has no two colours alike (colour-blind safe, Okabe-Ito; the old near-identical oranges were 23 apart)', () => {
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  for (let i = 0; i < palette.length; ++i)
    for (let j = i + 1; j < palette.length; ++j) {
      const [a, b] = [rgb(palette[i]), rgb(palette[j])];
      const distance = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
      assert.ok(distance > 60, `${palette[i]} and ${palette[j]} are too close (${distance.toFixed(0)})`);
    }
});
