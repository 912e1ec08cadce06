// Named runs to compare (issue 12): keep the run shown under a name (by default what changed), list kept runs,
// show or hide each on the plot, rename and delete them; they are kept with the model's save and survive a reload.
import { test, expect } from '@playwright/test';
import { guard, ready, traces } from './support.js';

async function setParam(page, key, value) {
  const previous = await page.locator('#stats').getAttribute('data-round-trip-ms');
  const field = page.locator(`.param[data-key="${key}"] input[type="number"]`);
  await field.fill(String(value));
  await field.press('Enter');
  await expect.poll(() => page.locator('#stats').getAttribute('data-round-trip-ms')).not.toBe(previous);
}

const keptTrace = (all, variable, run) => all.find((t) => t.name === `${variable} (${run})`);
const shownTrace = (all, variable) => all.find((t) => t.name.startsWith(`${variable} [`));

test('keep runs under what changed, compare, hide, rename, delete; they survive a reload', async ({ page }) => {
  const g = guard(page);
  await page.goto('/?model=oscillator');
  await ready(page);

  // A run with the damping changed, kept under what changed.
  await setParam(page, 'osc.oscillator.zeta', 0.2);
  const damped = shownTrace(await traces(page), 'osc.oscillator.x');
  await page.click('.keep-run');
  const first = page.locator('.kept-list li').first();
  await expect(first.locator('.run-name')).toHaveValue('zeta = 0.2');
  await expect(page.locator('#status')).toContainText('Kept “zeta = 0.2”');

  // A second, with a unit in its name: omega in rad/s.
  await setParam(page, 'osc.oscillator.omega', 3);
  await page.click('.keep-run');
  await expect(page.locator('.kept-list li')).toHaveCount(2);
  await expect(page.locator('.kept-list li').nth(1).locator('.run-name')).toHaveValue('zeta = 0.2, omega = 3 rad/s');

  // Both kept runs are on the plot beside the run shown, each in its own dash pattern; the first is the damped run.
  await setParam(page, 'osc.oscillator.zeta', 0.01);
  let all = await traces(page);
  const kept = keptTrace(all, 'osc.oscillator.x', 'zeta = 0.2');
  expect(kept.y).toEqual(damped.y);
  const dashes = await page.evaluate(() =>
    document
      .querySelector('#plot')
      .data.filter((d) => d.name.includes('(zeta = 0.2)') || d.name.includes('(zeta = 0.2, omega'))
      .map((d) => d.line.dash),
  );
  expect(new Set(dashes).size).toBe(2);
  expect(shownTrace(all, 'osc.oscillator.x').y).not.toEqual(damped.y);

  // Hidden, it leaves the plot; shown again, it comes back.
  await first.locator('input[type="checkbox"]').uncheck();
  await expect.poll(async () => Boolean(keptTrace(await traces(page), 'osc.oscillator.x', 'zeta = 0.2'))).toBe(false);
  await first.locator('input[type="checkbox"]').check();
  await expect.poll(async () => Boolean(keptTrace(await traces(page), 'osc.oscillator.x', 'zeta = 0.2'))).toBe(true);

  // Renamed, the legend follows.
  await first.locator('.run-name').fill('heavily damped');
  await first.locator('.run-name').press('Enter');
  await expect
    .poll(async () => Boolean(keptTrace(await traces(page), 'osc.oscillator.x', 'heavily damped')))
    .toBe(true);

  // A reload: the list is the same, and the runs are solved again from what was kept, to the same numbers.
  await page.reload();
  await ready(page);
  await expect(page.locator('.kept-list .run-name')).toHaveCount(2);
  await expect(page.locator('.kept-list .run-name').first()).toHaveValue('heavily damped');
  await expect
    .poll(async () => keptTrace(await traces(page), 'osc.oscillator.x', 'heavily damped')?.y.length ?? 0)
    .toBeGreaterThan(0);
  all = await traces(page);
  expect(keptTrace(all, 'osc.oscillator.x', 'heavily damped').y).toEqual(damped.y);

  // Deleted, it is gone from the plot, the list and the save.
  await page.locator('.kept-list li').first().locator('.run-delete').click();
  await expect(page.locator('.kept-list li')).toHaveCount(1);
  await expect
    .poll(async () => Boolean(keptTrace(await traces(page), 'osc.oscillator.x', 'heavily damped')))
    .toBe(false);
  await page.reload();
  await ready(page);
  await expect(page.locator('.kept-list li')).toHaveCount(1);
  await expect(page.locator('.kept-list .run-name')).toHaveValue('zeta = 0.2, omega = 3 rad/s');
  g.check();
});

test('each model keeps its own runs', async ({ page }) => {
  const g = guard(page);
  await page.goto('/?model=oscillator');
  await ready(page);
  await page.click('.keep-run');
  await expect(page.locator('.kept-list .run-name')).toHaveValue('as written');
  await page.goto('/?model=pendulum');
  await ready(page);
  await expect(page.locator('.kept-list li')).toHaveCount(0);
  await page.goto('/?model=oscillator');
  await ready(page);
  await expect(page.locator('.kept-list li')).toHaveCount(1);
  g.check();
});
