// The engineer's valve path (issue 12): add an excitation port to the fluid poppet, open the Test plan tab, and a
// starter plan is there, measuring the poppet's lift per newton; running it draws a Bode plot. A plan whose output
// does not respond says so in words instead of drawing an empty plot.
import { test, expect } from '@playwright/test';
import { guard, ready, savedState, setEditor } from './support.js';

const port = '      F_contact: { unit: N, description: seat and stop force }';

test('a port added to the valve gets a starter plan that measures the lift and draws a Bode plot', async ({ page }) => {
  test.setTimeout(120_000);
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await expect(page.locator('#model-name')).toHaveText('fluid_poppet');
  await page.click('.editor-tab[data-editor="plan"]');
  await expect(page.locator('#editor-plan .cm-content')).toContainText('has no excitation port');
  await page.click('.editor-tab[data-editor="model"]');
  const text = (await savedState(page, 'fluid_poppet')).model.text;
  await setEditor(page, 'model', text.replace(port, `${port}\n    ports:\n      force: { targets: v, unit: m/s^2 }`));
  await ready(page);
  await page.click('.editor-tab[data-editor="plan"]');
  const plan = page.locator('#editor-plan .cm-content');
  await expect(plan).toContainText('output: valve.poppet.x');
  await expect(plan).toContainText('scale_by: valve.poppet.m');
  await page.click('.view-tab[data-tab="characterize"]');
  await page.click('#plan-run');
  await expect(page.locator('#plan-status')).toContainText('points in', { timeout: 100_000 });
  await expect(page.locator('#plan-summary tr[data-test="linearized"]')).toHaveClass('ok');
  const bode = page.locator('.panel[data-panel="bode"]');
  await expect(bode).toHaveCount(1);
  const magnitude = await bode.evaluate((el) => el.data.find((d) => !d.yaxis || d.yaxis === 'y').y);
  expect(magnitude.length).toBe(200);
  expect(magnitude.every(Number.isFinite), 'a finite |H| at every frequency').toBe(true);
  expect(await bode.evaluate((el) => el.layout.yaxis.title.text)).toBe('|H| [dB re 1 m/N]');
  await page.screenshot({ path: 'test-results/screens/valve-bode.png' });

  // Measuring a tank's pressure instead: the linearized response is zero, and the page says why.
  const planText = (await savedState(page)).plan.text;
  await setEditor(page, 'plan', planText.replace('output: valve.poppet.x', 'output: outlet_tank.volume.p'));
  await page.click('#plan-run');
  await expect(page.locator('#plan-status')).toContainText('points in', { timeout: 100_000 });
  const notes = page.locator('#plan-notes');
  await expect(page.locator('#plan-summary tr[data-test="linearized"]')).toContainText('peak_gain 0');
  await expect(notes).toContainText('outlet_tank.volume.p to the excitation is zero at every frequency');
  await expect(notes).toContainText('measure another output');
  g.check();
});

test('a long plan shows the time left, and Cancel keeps the points that finished', async ({ page }) => {
  test.setTimeout(120_000);
  const g = guard(page);
  await page.goto('/?model=linear_msd');
  await ready(page);
  await page.click('.editor-tab[data-editor="plan"]');
  const plan = (await savedState(page, 'linear_msd')).plan.text;
  expect(plan).toContain('f_end: 25, n_points: 25');
  // Long enough (about 20 s on one worker here) that Cancel always lands mid-run, on a faster machine too.
  await setEditor(page, 'plan', plan.replace('f_end: 25, n_points: 25', 'f_end: 25, n_points: 4000'));
  await page.click('.view-tab[data-tab="sweep"]');
  await page.selectOption('#sweep-workers', '1'); // the pool's size, set on the Sweep tab
  await page.click('.view-tab[data-tab="characterize"]');
  await page.click('#plan-run');
  await expect(page.locator('#plan-status')).toHaveText(/^\d+\/\d+ points · about \d+ (s|min) left$/, {
    timeout: 60_000,
  });
  await page.click('#plan-cancel');
  await expect(page.locator('#plan-status')).toHaveText(/^Cancelled: the \d+ of \d+ points that finished are kept$/);
  await expect(page.locator('#results-json')).toBeEnabled();
  await expect(page.locator('#plan-summary tr[data-test="linearized"]')).toHaveClass('ok'); // a one-point test that finished
  expect(await page.locator('.panel').count()).toBeGreaterThan(0);
  g.check();
});
