// Cold-start helpers: the static first plot's geometry (web/src/plots/preview.js) and the precompressed files'
// encoding choice and output (web/precompressed.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { dashArray, previewGeometry } from '../../web/src/plots/preview.js';
import { chooseEncoding, precompressDir } from '../../web/precompressed.js';
import { timeSeriesFigure } from '../../web/src/plots/timeseries.js';

const info = {
  name: 'm',
  time_unit: 's',
  states: [
    { key: 'a.x', unit: 'm' },
    { key: 'a.v', unit: 'm/s' },
  ],
  outputs: [],
};
const nt = 1001;
const t = Float64Array.from({ length: nt }, (_, i) => i / 100);
const x = new Float64Array(2 * nt);
for (let i = 0; i < nt; ++i) ((x[i] = Math.sin(t[i] * 40)), (x[nt + i] = 3 + 2 * Math.cos(t[i])));

test('the preview puts each unit in its panel, scaled to its own values, one path per curve', () => {
  const figure = timeSeriesFigure(info, { t, x, y: new Float64Array(0) }, ['a.x', 'a.v']);
  const g = previewGeometry(figure, 600, 400);
  assert.equal(g.panels.length, 2);
  assert.deepEqual(
    g.panels.map((p) => p.title),
    ['[m]', '[m/s]'],
  );
  assert.ok(g.panels[0].bottom <= g.panels[1].top, 'stacked, top to bottom');
  assert.ok(g.panels[0].lo < -0.99 && g.panels[0].hi > 0.99);
  assert.ok(g.panels[1].lo < 1.01 && g.panels[1].hi > 4.99);
  assert.equal(g.paths.length, 2);
  assert.deepEqual([g.time.lo, g.time.hi, g.time.title], [0, 10, 't [s]']);
  // A fast oscillation keeps its envelope: points reach both the panel's top and bottom.
  const ys = [...g.paths[0].d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
  const p = g.panels[0];
  assert.ok(Math.min(...ys) < p.top + 0.1 * (p.bottom - p.top));
  assert.ok(Math.max(...ys) > p.bottom - 0.1 * (p.bottom - p.top));
  // Thinned to at most two points a pixel column (4 per half-pixel column at most), not all 1001.
  assert.ok(ys.length <= 4 * 2 * 600);
  assert.equal(dashArray('solid'), null);
  assert.equal(dashArray('dash', 2), '9 3');
  assert.equal(dashArray('12px,4px'), '12 4');
});

test('the server picks brotli, then gzip, as the browser accepts and the files exist', () => {
  assert.equal(chooseEncoding('gzip, deflate, br, zstd', { br: true, gzip: true }), 'br');
  assert.equal(chooseEncoding('gzip, deflate', { br: true, gzip: true }), 'gzip');
  assert.equal(chooseEncoding('br;q=0, gzip', { br: true, gzip: true }), 'gzip');
  assert.equal(chooseEncoding('br', { br: false, gzip: true }), null);
  assert.equal(chooseEncoding(undefined, { br: true, gzip: true }), null);
  assert.equal(chooseEncoding('identity', { br: true, gzip: true }), null);
});

test('every compressible file of a build gets .br and .gz twins that decode to it; small and binary-other files none', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'numen-precompress-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  const js = 'export const x = 1;\n'.repeat(500);
  const wasm = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(5000, 7)]);
  fs.writeFileSync(path.join(dir, 'assets/a.js'), js);
  fs.writeFileSync(path.join(dir, 'assets/core.wasm'), wasm);
  fs.writeFileSync(path.join(dir, 'tiny.js'), 'x');
  fs.writeFileSync(path.join(dir, 'assets/image.png'), Buffer.alloc(4000));
  const totals = precompressDir(dir);
  assert.equal(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, 'assets/a.js.br'))).toString(), js);
  assert.deepEqual(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'assets/core.wasm.gz'))), wasm);
  assert.ok(!fs.existsSync(path.join(dir, 'tiny.js.br')));
  assert.ok(!fs.existsSync(path.join(dir, 'assets/image.png.br')));
  assert.ok(totals.br < totals.raw && totals.gz < totals.raw);
  precompressDir(dir); // again: the twins are not compressed themselves
  assert.ok(!fs.existsSync(path.join(dir, 'assets/a.js.br.br')));
  fs.rmSync(dir, { recursive: true });
});

test("Plotly's sources get Node's `global` (only modules under node_modules that name it) and no map CSS", async () => {
  const { plotlySources } = await import('../../web/plotly-sources.js');
  const plugin = plotlySources();
  const hover = plugin.transform(
    'if (typeof global.matchMedia === "function") x = 1;',
    '/r/node_modules/has-hover/index.js',
  );
  assert.match(hover.code, /^var global = globalThis;\n/);
  assert.equal(plugin.transform('const y = 1;', '/r/node_modules/d3/d3.js'), null);
  assert.equal(plugin.transform('if (typeof global == "object") f(global);', '/r/build/wasm/wasm/numen.js'), null);
  assert.equal(plugin.transform('o.global = 1; globalThis.x = 2;', '/r/node_modules/a/b.js'), null);
  const css = plugin.resolveId('maplibre-gl/dist/maplibre-gl.css');
  assert.ok(css);
  assert.equal(plugin.load(css), 'export default {};');
  assert.equal(plugin.resolveId('./x.css'), null);
});
