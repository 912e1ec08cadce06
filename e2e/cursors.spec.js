// Cursors (issue 12): the values under the pointer, with units, on the time series (every variable at the time under
// the cursor), on a phase portrait, on a sweep and on a characterization panel; on a touch screen a tap shows them.
import { test, expect } from '@playwright/test';
import { guard, pickModel, ready } from './support.js';

/// Where on the page a plot's data point is drawn: trace `trace`, point `index` (from Plotly's own axis mapping).
async function pointOnPage(plot, trace, index) {
  const box = await plot.boundingBox();
  const at = await plot.evaluate(
    (gd, [i, k]) => {
      const d = gd._fullData[i];
      const xa = gd._fullLayout[`xaxis${(d.xaxis ?? 'x').slice(1)}`];
      const ya = gd._fullLayout[`yaxis${(d.yaxis ?? 'y').slice(1)}`];
      return { x: xa._offset + xa.l2p(xa.d2l(d.x[k])), y: ya._offset + ya.l2p(ya.d2l(d.y[k])) };
    },
    [trace, index],
  );
  return { x: box.x + at.x, y: box.y + at.y };
}

/// The read-out Plotly shows after the pointer moves to (or a finger taps) a point of the page.
async function readoutAt(page, plot, { x, y }, { tap = false } = {}) {
  if (tap) await page.touchscreen.tap(x, y);
  else {
    await page.mouse.move(x - 3, y);
    await page.mouse.move(x, y);
  }
  const layer = plot.locator('.hoverlayer');
  await expect(layer).not.toBeEmpty();
  return (await layer.textContent()).replace(/−/g, '-');
}

/// A fraction of a plot's (first) plotting area, on the page.
async function inArea(plot, fx, fy) {
  const box = await plot.locator('.nsewdrag').first().boundingBox();
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

test("hovering the time series reads every variable at the cursor's time, with units", async ({ page }) => {
  const g = guard(page);
  await page.goto('/?model=oscillator');
  await ready(page);
  const plot = page.locator('#plot');
  const text = await readoutAt(page, plot, await inArea(plot, 0.5, 0.5));
  // The middle of the plotting area is the middle of the time axis.
  const [t0, t1] = await page.evaluate(() => document.querySelector('#plot')._fullLayout.xaxis.range);
  const t = Number(/t = ([-\d.e+]+) s/.exec(text)?.[1]);
  expect(Math.abs(t - (t0 + t1) / 2)).toBeLessThan((t1 - t0) * 0.05);
  const names = await page.evaluate(() => document.querySelector('#plot').data.map((d) => d.name));
  for (const name of names) expect(text).toContain(name);
  // Each value carries its unit: x in m, v in m/s.
  expect(text).toMatch(/[-\d.e+]+ m(?!\/)/);
  expect(text).toMatch(/[-\d.e+]+ m\/s/);
  g.check();
});

test("the fluid poppet's stacked panels read out together, each value in its own unit", async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  const units = await page.evaluate(() =>
    Object.entries(document.querySelector('#plot').layout)
      .filter(([k]) => /^yaxis\d*$/.test(k))
      .map(([, a]) => /\[(.*)\]/.exec(a.title.text)?.[1]),
  );
  expect(units.length).toBeGreaterThan(1);
  const plot = page.locator('#plot');
  const text = await readoutAt(page, plot, await inArea(plot, 0.4, 0.1));
  expect(text).toMatch(/t = [-\d.e+]+ s/);
  for (const unit of units.filter(Boolean)) expect(text).toContain(` ${unit}`);
  const names = await page.evaluate(() => document.querySelector('#plot').data.map((d) => d.name));
  for (const name of names)
    expect(text, 'variables of every panel, not only the one under the pointer').toContain(name);
  g.check();
});

test('a phase portrait and a sweep read out the nearest point in the units of their axes', async ({ page }) => {
  const g = guard(page);
  await page.goto('/?model=oscillator');
  await ready(page);
  await page.selectOption('#phase-x', 'osc.oscillator.x');
  await page.selectOption('#phase-y', 'osc.oscillator.v');
  await expect
    .poll(() => page.evaluate(() => document.querySelector('#plot').layout.xaxis.title.text))
    .toContain('osc.oscillator.x');
  const plot = page.locator('#plot');
  const phase = await readoutAt(page, plot, await pointOnPage(plot, 0, 40));
  expect(phase).toMatch(/osc\.oscillator\.x = [-\d.e+]+ m/);
  expect(phase).toMatch(/osc\.oscillator\.v = [-\d.e+]+ m\/s/);

  await page.click('.view-tab[data-tab="sweep"]');
  await page.selectOption('#sweep-param', 'osc.oscillator.zeta');
  await page.fill('#sweep-from', '0.05');
  await page.fill('#sweep-to', '0.5');
  await page.fill('#sweep-count', '4');
  await page.click('#sweep-run');
  await expect(page.locator('#sweep-status')).toContainText('4 runs in');
  const sweepPlot = page.locator('#sweep-plot');
  const sweep = await readoutAt(page, sweepPlot, await pointOnPage(sweepPlot, 0, 30));
  expect(sweep).toMatch(/t = [-\d.e+]+ s/);
  expect(sweep).toMatch(/osc\.oscillator\.zeta = /);
  g.check();
});

test('a Bode panel reads out frequency in Hz, magnitude in dB with its reference, phase in degrees', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const g = guard(page);
  await page.goto('/?model=linear_msd');
  await ready(page);
  await page.click('.view-tab[data-tab="characterize"]');
  await page.click('#plan-run');
  await expect(page.locator('#plan-status')).toContainText('points in', { timeout: 60_000 });
  const bode = page.locator('.panel[data-panel="bode"]').first();
  const magnitude = await readoutAt(page, bode, await pointOnPage(bode, 0, 20));
  expect(magnitude).toMatch(/frequency = [\d.e+-]+ Hz/);
  expect(magnitude).toMatch(/\|H\| = [-\d.e+]+ dB re 1 /);
  const phase = await readoutAt(page, bode, await pointOnPage(bode, 1, 20));
  expect(phase).toMatch(/phase = [-\d.e+]+ deg/);
  g.check();
});

test('on a touch screen, a tap on the plot shows the read-out', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const g = guard(page);
  await page.goto('/?model=oscillator');
  await ready(page);
  await page.locator('#plot').scrollIntoViewIfNeeded();
  const plot = page.locator('#plot');
  const text = await readoutAt(page, plot, await inArea(plot, 0.5, 0.5), { tap: true });
  expect(text).toMatch(/t = [-\d.e+]+ s/);
  expect(text).toMatch(/[-\d.e+]+ m\/s/);
  g.check();
  await context.close();
});
