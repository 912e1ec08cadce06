// Smaller defects found in issue 12, each on the user's path: the text wins over a stale slider value, the model's
// name follows its text, plot images are of the tab shown and titled, a sweep exports its data, an empty plan says
// it is empty (no `plan.yaml:0:0`).
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { guard, pickModel, ready, savedState, setEditor, traces } from './support.js';

const theta = async (page) =>
  (await traces(page)).find((t) => t.name.startsWith('pendulum.pendulum.theta') && !t.name.includes('previous'));

test("editing L in the YAML after dragging L's slider changes L", async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'pendulum');
  const row = page.locator('.param[data-key="pendulum.pendulum.L"]');
  await row.locator('input[type="range"]').fill('800');
  await expect.poll(async () => (await savedState(page)).overrides['pendulum.pendulum.L']).toBeGreaterThan(1.5);
  const dragged = await theta(page);
  const text = (await savedState(page)).model.text;
  await setEditor(page, 'model', text.replace('L: { value: 1.0,', 'L: { value: 2.0,'));
  await expect(row.locator('input[type="number"]')).toHaveValue('2');
  await expect.poll(async () => (await savedState(page)).overrides).toEqual({});
  await ready(page);
  // The plot is of L = 2 m: not the dragged run.
  await expect.poll(async () => (await theta(page)).y[300]).not.toBe(dragged.y[300]);
  // A later slider move still works on top of the new text.
  await row.locator('input[type="range"]').fill('300');
  await expect.poll(async () => (await savedState(page)).overrides['pendulum.pendulum.L']).toBeLessThan(2);
  g.check();
});

test('the model name follows the text: header and exported file names', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const text = (await savedState(page)).model.text;
  await setEditor(page, 'model', text.replace('model: oscillator', 'model: my_oscillator'));
  await expect(page.locator('#model-name')).toHaveText('my_oscillator');
  await ready(page);
  await page.click('#export-menu summary');
  const [model] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
  expect(model.suggestedFilename()).toBe('my_oscillator.yaml');
  expect(fs.readFileSync(await model.path(), 'utf8')).toContain('model: my_oscillator');
  await page.click('#export-menu summary');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  expect(csv.suggestedFilename()).toBe('my_oscillator.csv');
  g.check();
});

test('plot images are of the tab shown, titled with the model; the sweep exports its runs as CSV', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  await page.click('#export-menu summary');
  const [simulation] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  expect(simulation.suggestedFilename()).toBe('oscillator-simulation.svg');
  const simSvg = fs.readFileSync(await simulation.path(), 'utf8');
  expect(simSvg).toContain('oscillator: simulation');

  await page.click('.view-tab[data-tab="sweep"]');
  await page.selectOption('#sweep-param', 'osc.oscillator.zeta');
  await page.fill('#sweep-from', '0.05');
  await page.fill('#sweep-to', '0.5');
  await page.fill('#sweep-count', '3');
  await page.selectOption('#sweep-key', 'osc.oscillator.x');
  await page.click('#sweep-run');
  await expect(page.locator('#sweep-status')).toContainText('3 runs in');
  await page.click('#export-menu summary');
  const [sweepSvg] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  expect(sweepSvg.suggestedFilename()).toBe('oscillator-sweep.svg');
  const svg = fs.readFileSync(await sweepSvg.path(), 'utf8');
  expect(svg).toContain('oscillator: sweep of osc.oscillator.zeta');
  expect(svg).toContain('osc.oscillator.zeta = 0.2750'); // a sweep legend entry, not the simulation's
  await page.click('#export-menu summary');
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  expect(png.suggestedFilename()).toBe('oscillator-sweep.png');
  const bytes = fs.readFileSync(await png.path());
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect(bytes.readUInt32BE(16)).toBe(1200); // width in the IHDR chunk

  const [data] = await Promise.all([page.waitForEvent('download'), page.click('#sweep-csv')]);
  expect(data.suggestedFilename()).toBe('oscillator-sweep.csv');
  const rows = fs
    .readFileSync(await data.path(), 'utf8')
    .trim()
    .split('\n');
  expect(rows[0]).toBe('run,osc.oscillator.zeta [1],t,osc.oscillator.x [m]'); // zeta is dimensionless, and says so
  const curves = (await traces(page, '#sweep-plot')).filter((t) => t.mode === 'lines');
  expect(rows.length - 1).toBe(curves.reduce((n, c) => n + c.x.length, 0));
  const middle = rows.filter((r) => r.startsWith('2,'));
  expect(Number(middle[0].split(',')[1])).toBeCloseTo(0.275, 12);
  expect(Number(middle[10].split(',')[3])).toBe(curves[1].y[10]);
  g.check();
});

test('an empty plan says it is empty, with no plan.yaml:0:0', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  await page.click('.editor-tab[data-editor="plan"]');
  await setEditor(page, 'plan', '');
  await page.click('.view-tab[data-tab="characterize"]');
  await page.click('#plan-run');
  await expect(page.locator('#plan-status')).toContainText('The test plan is empty');
  await expect(page.locator('body')).not.toContainText(':0:0');
  g.check();
});
