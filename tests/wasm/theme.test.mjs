// Themes (web/src/app/theme.js): the system's preference until the user chooses; plots themed slot for slot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DARK_PALETTE,
  LIGHT_PALETTE,
  resolveTheme,
  themeColor,
  themeData,
  themeLayout,
  toggled,
} from '../../web/src/app/theme.js';
import { palette } from '../../web/src/plots/timeseries.js';

test("the user's choice wins over the system's; nothing chosen follows the system", () => {
  assert.equal(resolveTheme(null, true), 'dark');
  assert.equal(resolveTheme(null, false), 'light');
  assert.equal(resolveTheme('light', true), 'light');
  assert.equal(resolveTheme('dark', false), 'dark');
  assert.equal(resolveTheme('purple', true), 'dark');
  assert.equal(toggled('dark'), 'light');
  assert.equal(toggled('light'), 'dark');
});

test("the plots' palette is the light theme's; the dark one has as many distinct colours, slot for slot", () => {
  assert.deepEqual(palette, LIGHT_PALETTE);
  assert.equal(new Set(DARK_PALETTE).size, LIGHT_PALETTE.length);
  LIGHT_PALETTE.forEach((c, i) => {
    assert.equal(themeColor(c, 'dark'), DARK_PALETTE[i]);
    assert.equal(themeColor(themeColor(c, 'dark'), 'light'), c);
  });
  assert.equal(themeColor('#868e96', 'dark'), '#868e96', 'colours outside the palette are kept');
  assert.equal(themeColor('rgb(1,2,3)', 'dark'), 'rgb(1,2,3)');
});

test('a themed figure: trace colours swapped, every axis gridded in the theme, the input untouched', () => {
  const data = [
    { line: { color: '#000000', width: 2 } },
    { marker: { color: '#882255' } },
    { marker: { color: [1, 2] } },
  ];
  const dark = themeData(data, 'dark');
  assert.equal(dark[0].line.color, '#F2F2F2');
  assert.equal(dark[0].line.width, 2);
  assert.equal(dark[1].marker.color, '#F0E442');
  assert.deepEqual(dark[2].marker.color, [1, 2]);
  assert.equal(data[0].line.color, '#000000');
  const layout = themeLayout({ xaxis: { title: { text: 't' } }, yaxis2: { type: 'log' }, legend: { x: 1 } }, 'dark');
  assert.equal(layout.paper_bgcolor, '#1b1f24');
  assert.equal(layout.xaxis.title.text, 't');
  assert.equal(layout.yaxis2.type, 'log');
  assert.ok(layout.yaxis2.gridcolor);
  assert.equal(layout.legend.x, 1);
  assert.notEqual(themeLayout({}, 'light').paper_bgcolor, layout.paper_bgcolor);
});
