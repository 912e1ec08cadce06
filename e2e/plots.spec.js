// Plots a reader can trust (issue 12): log-axis ticks labelled with their values (0.5 Hz reads "0.5", not "5"), phase
// ticks at multiples of 45 degrees, distinct colour-blind-safe colours, and legends clear of every title at the
// three sizes.
import { test, expect } from '@playwright/test';
import { guard, pickModel, ready } from './support.js';

/// Titles (axis and plot) that a plot's legend covers.
function legendOverlaps(page, selector) {
  return page.evaluate((sel) => {
    const out = [];
    for (const plot of document.querySelectorAll(sel)) {
      const legend = plot.querySelector('.legend');
      if (!legend) continue;
      const L = legend.getBoundingClientRect();
      for (const title of plot.querySelectorAll('text.gtitle, text[class$="title"], .xtick text, .ytick text')) {
        const t = title.getBoundingClientRect();
        if (!t.width || !title.textContent) continue;
        if (t.right > L.left && t.left < L.right && t.bottom > L.top && t.top < L.bottom) out.push(title.textContent);
      }
    }
    return out;
  }, selector);
}

test('Bode ticks read as frequencies, phase ticks fall on 45 degrees, legends clear of titles', async ({ page }) => {
  test.setTimeout(90_000);
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'linear_msd');
  await page.click('.view-tab[data-tab="characterize"]');
  await page.click('#plan-run');
  await expect(page.locator('#plan-status')).toContainText('points in', { timeout: 60_000 });
  const bode = page.locator('.panel[data-panel="bode"]').first();
  await expect(bode.locator('.xtick text').first()).toBeVisible();
  const ticks = await bode.evaluate((el) => ({
    x: [...el.querySelectorAll('.xtick text')].map((t) => t.textContent),
    phase: [...el.querySelectorAll('.y2tick text')].map((t) => Number(t.textContent.replace('−', '-'))),
  }));
  // The plan sweeps 0.5 .. 50 Hz: every label is a frequency as written, 1-2-5 in each decade.
  expect(ticks.x).toEqual(expect.arrayContaining(['0.5', '1', '2', '5', '10', '20', '50']));
  expect(
    ticks.x.filter((t) => t === '5'),
    'one "5", for 5 Hz: no bare minor digits',
  ).toHaveLength(1);
  expect(ticks.phase.length).toBeGreaterThan(1);
  for (const p of ticks.phase) expect(Math.abs(p % 45), `phase tick ${p}`).toBe(0);
  expect(await legendOverlaps(page, '.panel')).toEqual([]);
  g.check();
});

for (const viewport of [
  { width: 390, height: 844 },
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
]) {
  test(`the simulation plot's legend covers no title at ${viewport.width}x${viewport.height}, and its colours are distinct`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const g = guard(page);
    await page.goto('/?model=coupled_spring'); // six variables: three masses' positions and velocities
    await ready(page);
    expect(await legendOverlaps(page, '#plot')).toEqual([]);
    const colours = await page.evaluate(() =>
      document
        .querySelector('#plot')
        .data.filter((d) => !d.name.includes('previous'))
        .map((d) => d.line.color),
    );
    expect(colours.length).toBeGreaterThanOrEqual(6);
    expect(new Set(colours).size).toBe(colours.length);
    g.check();
    await context.close();
  });
}
