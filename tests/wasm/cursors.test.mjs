// Plot cursors (web/src/plots/cursors.js): the hover read-outs name each value and give its unit, from axis titles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readoutLine, splitTitle, withCursors, withTimeCursor } from '../../web/src/plots/cursors.js';

test('axis titles split into the quantity and its unit; "1" is no unit', () => {
  assert.deepEqual(splitTitle('frequency [Hz]'), { name: 'frequency', unit: 'Hz' });
  assert.deepEqual(splitTitle({ text: '|H| [dB re 1 m/N]' }), { name: '|H|', unit: 'dB re 1 m/N' });
  assert.deepEqual(splitTitle('[m/s]'), { name: '', unit: 'm/s' });
  assert.deepEqual(splitTitle('zeta [1]'), { name: 'zeta', unit: '' });
  assert.deepEqual(splitTitle('coherence'), { name: 'coherence', unit: '' });
});

test('a read-out line escapes what would be markup or a placeholder', () => {
  assert.equal(readoutLine('x', 'm', 'x'), 'x = %{x:.5~g} m');
  assert.equal(readoutLine('a<b', '', 'y'), 'a&lt;b = %{y:.5~g}');
  assert.equal(readoutLine('%{y}', 'Pa', 'y'), '%&#123;y} = %{y:.5~g} Pa');
});

test('every trace of a panel gets a read-out in the units of its own axes; colour-bar markers keep none', () => {
  const figure = withCursors({
    data: [
      { type: 'scatter', name: 'lin', x: [1], y: [2] },
      { type: 'scatter', name: 'lin', x: [1], y: [3], yaxis: 'y2' },
      { type: 'scatter', x: [null], y: [null], hoverinfo: 'skip' },
      { type: 'heatmap', x: ['1'], y: ['2'], z: [[3]], colorbar: { title: { text: 'peak [m]' } } },
    ],
    layout: {
      xaxis: { title: { text: 'frequency [Hz]' } },
      yaxis: { title: { text: '|H| [dB re 1 m/N]' } },
      yaxis2: { title: { text: 'phase [deg]' } },
    },
  });
  assert.equal(
    figure.data[0].hovertemplate,
    '<b>%{fullData.name}</b><br>frequency = %{x:.5~g} Hz<br>|H| = %{y:.5~g} dB re 1 m/N<extra></extra>',
  );
  assert.match(figure.data[1].hovertemplate, /phase = %\{y:\.5~g\} deg/);
  assert.equal(figure.data[2].hovertemplate, undefined);
  assert.match(figure.data[3].hovertemplate, /peak = %\{z:\.5~g\} m/);
  assert.equal(figure.layout.hovermode, 'closest');
});

test("time series read out together at the cursor's time, each value in its panel's unit", () => {
  const figure = withTimeCursor(
    {
      data: [
        { name: 'a.p [Pa]', x: [0], y: [1] },
        { name: 'a.x [m]', x: [0], y: [1], yaxis: 'y2' },
        { name: 'a.n', x: [0], y: [1], yaxis: 'y3' },
      ],
      layout: {
        xaxis: { title: { text: 't [min]' } },
        yaxis: { title: { text: '[Pa]' } },
        yaxis2: { title: { text: '[m]' } },
        yaxis3: { title: { text: 'value' } },
      },
    },
    't [min]',
  );
  assert.deepEqual(
    figure.data.map((d) => d.hovertemplate),
    ['%{y:.5~g} Pa', '%{y:.5~g} m', '%{y:.5~g}'],
  );
  assert.equal(figure.layout.hovermode, 'x unified');
  assert.equal(figure.layout.hoversubplots, 'axis');
  assert.equal(figure.layout.xaxis.unifiedhovertitle.text, 't = %{x:.5~g} min');
});
