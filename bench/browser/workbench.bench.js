// Workbench timings in Chromium against the production build: first plot, bytes on the wire, a re-solve after a
// parameter change, and the sweep's speed-up on two workers. Printed and appended to
// test-results/measurements.jsonl; the figures in bench/README.md come from here. Nothing here is a pass/fail test.
import { test, expect } from '@playwright/test';
import { annotate, ready, setUpPoppetSweep } from '../../e2e/support.js';

const report = (name, value) => {
  test.info().annotations.push(annotate(name, value));
  console.log(`${name}: ${value}`);
};

test('first load: navigation to first plot, transferred bytes', async ({ page }) => {
  const responses = [];
  page.on('requestfinished', (r) => responses.push(r));
  await page.goto('/');
  await ready(page);
  const firstPlot = await page.evaluate(() => performance.getEntriesByName('numen:first-plot')[0]?.startTime);
  // Bytes on the wire per file (compressed where the server compresses). Chromium reports no sizes for requests
  // made by workers; those count their decoded body, which is exact for the uncompressed wasm.
  const bytes = { js: 0, wasm: 0, other: 0 };
  const seen = new Set();
  for (const r of responses) {
    const url = r.url().split('?')[0];
    if (seen.has(url)) continue;
    seen.add(url);
    const sizes = await r.sizes();
    const size = sizes.responseBodySize > 0 ? sizes.responseBodySize : (await (await r.response()).body()).length;
    bytes[url.endsWith('.wasm') ? 'wasm' : url.endsWith('.js') ? 'js' : 'other'] += size;
  }
  report('navigation to first plot, ms', Math.round(firstPlot));
  report('transferred bytes js/wasm/other', `${bytes.js}/${bytes.wasm}/${bytes.other}`);
});

test('fluid poppet: re-solve and redraw after a parameter change', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  const samples = [];
  const field = page.locator('.param[data-key="valve.poppet.k"] input[type="number"]');
  for (const k of [5100, 5200, 5300, 5400, 5500]) {
    const previous = await page.locator('#stats').getAttribute('data-round-trip-ms');
    await field.fill(String(k));
    await field.press('Enter');
    await expect.poll(() => page.locator('#stats').getAttribute('data-round-trip-ms')).not.toBe(previous);
    samples.push(Number(await page.locator('#stats').getAttribute('data-round-trip-ms')));
  }
  samples.sort((a, b) => a - b);
  report('fluid_poppet re-solve + redraw, median of 5, ms', samples[2]);
});

test('a 12-run fluid poppet sweep on one and on two workers', async ({ page }) => {
  await setUpPoppetSweep(page);
  const timings = {};
  for (const workers of ['1', '2', '1', '2']) {
    await page.selectOption('#sweep-workers', workers);
    await page.click('#sweep-run');
    await expect(page.locator('#sweep-status')).toContainText('12 runs in');
    timings[workers] = Number(await page.locator('#sweep-status').getAttribute('data-ms')); // the second (warm) run
  }
  report(
    'sweep of 12 fluid_poppet runs, ms on 1 / 2 workers',
    `${timings['1'].toFixed(0)} / ${timings['2'].toFixed(0)} (speed-up ${(timings['1'] / timings['2']).toFixed(2)})`,
  );
});

// Cold starts on the desktop and the 4x-throttled phone profile, medians against another commit in the same run:
// bench/startup/startup.mjs (npm run bench:startup).
