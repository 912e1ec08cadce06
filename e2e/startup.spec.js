// Cold start (issues 12 and 16), what the page does rather than how fast (timings are in bench/startup/): the first
// solution is drawn before the plotting library has run, the editors load after the first plot without losing
// anything, and the server sends precompressed files the browser can still stream-compile.
import { test, expect } from '@playwright/test';
import { editorText, guard, ready, origin } from './support.js';

test('the first solution is drawn as a static plot while Plotly is held back, then becomes the interactive plot', async ({
  page,
}) => {
  const g = guard(page);
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(/\/assets\/plotly-[^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/?model=coupled_spring');
  const preview = page.locator('#plot > svg.plot-preview');
  await expect(preview).toBeVisible();
  // The same curves as the interactive plot will have: one path per trace, in the panels' units.
  const paths = await preview.locator('path').count();
  await expect(preview).toContainText('[m/s]');
  await expect(preview).toContainText('t [s]');
  await page.screenshot({ path: 'test-results/screens/first-plot-preview.png' });
  release();
  await ready(page);
  await expect(preview).toHaveCount(0);
  const traces = await page.evaluate(() => document.querySelector('#plot').data.length);
  expect(paths).toBe(traces);
  const order = await page.evaluate(() =>
    ['numen:plot-preview', 'numen:plotly-loaded', 'numen:first-plot'].map(
      (n) => performance.getEntriesByName(n)[0]?.startTime ?? null,
    ),
  );
  expect(order.every((t) => t !== null)).toBe(true);
  expect(order[0]).toBeLessThan(order[1]);
  expect(order[1]).toBeLessThan(order[2]);
  g.check();
});

test("the site's own Plotly build draws every trace type the figures use, with colour bars and image export", async ({
  page,
}) => {
  // Plotly is built from its sources with only these traces (web/src/plots/plotly-bundle.js): scatter for time
  // series and most panels, bar for two-tone spectra, heatmap for parameter grids (web/src/plots/panels.js).
  const g = guard(page);
  await page.goto('/?model=coupled_spring');
  await ready(page);
  const drawn = await page.evaluate(async () => {
    const Plotly = (await import(document.querySelector('link[rel=modulepreload][href*=plotly]').href)).default;
    const div = document.createElement('div');
    div.style.cssText = 'width:600px;height:400px';
    document.body.append(div);
    await Plotly.newPlot(div, [
      {
        type: 'heatmap',
        z: [
          [1, 2],
          [3, 4],
        ],
        colorbar: { title: { text: 'z' } },
      },
      { type: 'bar', x: [1, 2], y: [3, 4], base: -1, width: 0.1 },
      { type: 'scatter', mode: 'lines+markers', x: [0, 1], y: [1, 0], marker: { color: [0, 1], showscale: true } },
    ]);
    const png = await Plotly.toImage(div, { format: 'png', width: 300, height: 200 });
    const out = {
      types: div._fullData.map((d) => d.type),
      heatmaps: div.querySelectorAll('.heatmaplayer image').length,
      bars: div.querySelectorAll('.barlayer .point').length,
      lines: div.querySelectorAll('.scatterlayer .js-line').length,
      colorbars: div.querySelectorAll('.colorbar').length,
      png: png.startsWith('data:image/png;base64,'),
    };
    div.remove();
    return out;
  });
  expect(drawn).toEqual({
    types: ['heatmap', 'bar', 'scatter'],
    heatmaps: 1,
    bars: 2,
    lines: 1,
    colorbars: 2,
    png: true,
  });
  g.check();
});

test('the editors load after the first plot: the text shows at once, and nothing typed or set before is lost', async ({
  page,
}) => {
  const g = guard(page);
  let release;
  const held = new Promise((r) => (release = r));
  // Hold the editor's code back: the page must plot without it, showing the model's text meanwhile.
  await page.route(/\/assets\/editor-[^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/?model=oscillator');
  await expect(page.locator('#editor-model .editor-placeholder')).toContainText('model: oscillator');
  await expect(page.locator('body')).toHaveAttribute('data-state', 'drawn');
  expect(await page.evaluate(() => document.querySelector('#plot').data.length)).toBeGreaterThan(0);
  await expect(page.locator('#editor-model .cm-editor')).toHaveCount(0);
  release();
  await ready(page);
  await expect(page.locator('#editor-model .editor-placeholder')).toHaveCount(0);
  expect(await editorText(page, 'model')).toContain('model: oscillator');
  g.check();
});

test('files are sent precompressed (brotli) with their own types; the wasm stays application/wasm', async ({
  request,
  page,
}) => {
  await page.goto('/');
  await ready(page);
  const wasm = await page.evaluate(
    () =>
      performance
        .getEntriesByType('resource')
        .map((r) => r.name)
        .find((n) => n.endsWith('.wasm')) ?? null,
  );
  const files = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((r) => r.name)
      .filter((n) => /\/assets\/.*\.(js|css)$/.test(n)),
  );
  // The worker's fetch of the wasm is not in the page's resource list: find its name in the worker's code.
  const worker = files.find((f) => /worker-/.test(f));
  let wasmUrl = wasm;
  if (!wasmUrl && worker) {
    const code = await (await request.get(worker)).text();
    wasmUrl = new URL(/numen-[\w-]+\.wasm/.exec(code)[0], new URL('assets/', origin)).href;
  }
  for (const url of [origin, ...files, wasmUrl].filter(Boolean)) {
    const response = await request.get(url, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(response.status(), url).toBe(200);
    expect(response.headers()['content-encoding'], url).toBe('br');
    expect(response.headers()['vary'], url).toMatch(/Accept-Encoding/i);
  }
  const response = await request.get(wasmUrl, { headers: { 'Accept-Encoding': 'gzip' } });
  expect(response.headers()['content-encoding']).toBe('gzip');
  expect(response.headers()['content-type']).toBe('application/wasm');
  const plain = await request.get(wasmUrl, { headers: { 'Accept-Encoding': 'identity' } });
  expect(plain.headers()['content-encoding'] ?? 'identity').toBe('identity');
  expect((await plain.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
});

/// The console messages of a load, the core's worker's included, and whether the worker said it fell back from
/// streaming compilation (emscripten's glue does when the wasm is not served as application/wasm).
async function streamingFallback(page, url) {
  const messages = [];
  page.on('console', (m) => messages.push(m.text()));
  page.on('worker', (w) => w.on?.('console', (m) => messages.push(m.text())));
  await page.goto(url);
  await ready(page);
  return messages.some((m) => /wasm streaming compile failed|falling back to ArrayBuffer/.test(m));
}

test('the core compiles streaming from the brotli-encoded wasm (and the check sees a fallback when there is one)', async ({
  browser,
}) => {
  // No service worker: only the core's worker fetches the wasm.
  const served = await browser.newContext({ serviceWorkers: 'block' });
  expect(await streamingFallback(await served.newPage(), `${origin}?model=oscillator`)).toBe(false);
  await served.close();
  // The same wasm with a type that forbids streaming: the worker falls back, and says so.
  const wrong = await browser.newContext({ serviceWorkers: 'block' });
  await wrong.route(/\.wasm$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  expect(await streamingFallback(await wrong.newPage(), `${origin}?model=oscillator`)).toBe(true);
  await wrong.unrouteAll({ behavior: 'ignoreErrors' });
  await wrong.close();
});
