// Units in the workbench (issue 11): the editor marks a unit error over its offending term and completes unit
// names; a field declared in a non-SI unit is shown, plotted, exported and set in that unit while the core solves
// in SI. Checked against the damped oscillator's analytic solution and the thermal network's steady state.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { guard, pickModel, ready, savedState, setEditor, traces } from './support.js';

const shot = (page, name) => page.screenshot({ path: `test-results/screens/${name}.png` });

/// x(t) and v(t) of x'' + 2 zeta omega x' + omega^2 x = 0 from x(0) = x0, v(0) = v0 (SI: m, m/s).
function oscillator(t, x0, v0, zeta = 0.05, omega = 2 * Math.PI) {
  const a = zeta * omega;
  const wd = omega * Math.sqrt(1 - zeta * zeta);
  const decay = Math.exp(-a * t);
  return {
    x: decay * (x0 * Math.cos(wd * t) + ((v0 + a * x0) / wd) * Math.sin(wd * t)),
    v: decay * (v0 * Math.cos(wd * t) - ((a * v0 + omega * omega * x0) / wd) * Math.sin(wd * t)),
  };
}

/// The largest difference between a plotted curve and f(t).
function worst(curve, f) {
  let w = 0;
  for (let k = 0; k < curve.x.length; ++k) w = Math.max(w, Math.abs(curve.y[k] - f(curve.x[k])));
  return w;
}

const current = async (page, name) => (await traces(page)).find((t) => t.name === name);

async function completionLabels(page) {
  await expect(page.locator('.cm-tooltip-autocomplete')).toBeVisible();
  return page.locator('.cm-tooltip-autocomplete .cm-completionLabel').allTextContents();
}

test('a unit mistake in an equation is marked over the offending term, not the whole line', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const text = (await savedState(page, 'oscillator')).model.text;
  const lineNumber = text.split('\n').findIndex((l) => l.includes('- der(o.x) += o.v')) + 1;
  // x is in m, v in m/s: adding them is a located unit error.
  await setEditor(page, 'model', text.replace('- der(o.x) += o.v', '- der(o.x) += o.v + o.x'));
  const marks = page.locator('#editor-model .cm-lintRange-error');
  await expect(marks.first()).toBeVisible();
  await expect(page.locator('#diagnostics')).toContainText(`oscillator.yaml:${lineNumber}:21:`);
  await expect(page.locator('#diagnostics')).toContainText('adds unlike quantities');
  // The mark covers `o.v + o.x` (the sum of unlike terms), more than the word at the column and less than the line.
  const marked = await marks.evaluateAll((els) => els.map((e) => e.textContent).join(''));
  expect(marked).toBe('o.v + o.x');
  await expect(page.locator('#editor-model .cm-line', { has: page.locator('.cm-lintRange-error') })).toHaveText(
    '      - der(o.x) += o.v + o.x',
  );
  await marks.first().hover();
  await expect(page.locator('.cm-tooltip-lint')).toContainText('`o.v` is in m/s');
  await shot(page, 'unit-error');
  g.check();
});

test('completion offers unit names after a number and after `unit:`', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const text = (await savedState(page, 'oscillator')).model.text;
  const zeta = '      zeta: { value: 0.05, unit: "1", description: damping ratio }';
  expect(text).toContain(zeta);
  await setEditor(page, 'model', text.replace(zeta, `${zeta}\n      k: 20`));
  await page.locator('#editor-model .cm-line', { hasText: 'k: 20' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' k');
  let labels = await completionLabels(page);
  expect(labels).toContain('kN');
  expect(labels).toContain('kN/m');
  expect(
    labels.every((l) => l.startsWith('k')),
    labels.join(' '),
  ).toBe(true); // filtered by what is typed
  await page.keyboard.type('N/');
  // Name by name: after `kN/`, the units that can follow, the common compound first.
  await expect.poll(async () => (await completionLabels(page)).every((l) => l.startsWith('kN/'))).toBe(true);
  labels = await completionLabels(page);
  expect(labels[0]).toBe('kN/m');
  expect(labels).toContain('kN/s');
  await shot(page, 'unit-completion');
  await page.keyboard.press('Enter');
  await expect(page.locator('#editor-model .cm-line', { hasText: 'k: 20' })).toHaveText('      k: 20 kN/m');

  // After `unit:` in a flow mapping, too.
  const x = '      x: { value: 1, unit: m, description: displacement }';
  expect(text).toContain(x);
  await setEditor(page, 'model', text.replace(x, '      x: { value: 1, description: displacement, unit: m }'));
  await page.locator('#editor-model .cm-line', { hasText: 'description: displacement' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('m');
  labels = await completionLabels(page);
  expect(labels).toContain('mm');
  expect(labels).toContain('mm/s');
  expect(
    labels.every((l) => l.startsWith('mm')),
    labels.join(' '),
  ).toBe(true);
  await page.keyboard.press('Escape');
  g.check();
});

test('a state declared in km/h and mm is shown, plotted, exported and set in those units', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const text = (await savedState(page, 'oscillator')).model.text;
  const edited = text
    .replace('x: { value: 1, unit: m,', 'x: { value: 1000, unit: mm,')
    .replace('v: { value: 0, unit: m/s,', 'v: { value: 36, unit: km/h,');
  expect(edited).toContain('unit: km/h');
  expect(edited).toContain('unit: mm');
  await setEditor(page, 'model', edited);
  // The parameters panel shows the values as written, in their units.
  const vRow = page.locator('.param[data-key="osc.oscillator.v"]');
  await expect(vRow.locator('input[type="number"]')).toHaveValue('36');
  await expect(vRow.locator('.unit')).toHaveText('[km/h]');
  await expect(page.locator('.param[data-key="osc.oscillator.x"] input[type="number"]')).toHaveValue('1000');
  // The core solves from x0 = 1 m, v0 = 10 m/s; the plot shows mm and km/h.
  await expect.poll(async () => Boolean(await current(page, 'osc.oscillator.x [mm]'))).toBe(true);
  await ready(page);
  const x = await current(page, 'osc.oscillator.x [mm]');
  const v = await current(page, 'osc.oscillator.v [km/h]');
  expect(v.y[0]).toBeCloseTo(36, 9);
  expect(worst(x, (t) => 1000 * oscillator(t, 1, 10).x)).toBeLessThan(1e-3); // mm: 1e-6 of the swing
  expect(worst(v, (t) => 3.6 * oscillator(t, 1, 10).v)).toBeLessThan(1e-4);

  // The CSV names each column with its unit and holds the same display values.
  await page.click('#export-menu summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const rows = fs
    .readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  expect(rows[0]).toBe('t,osc.oscillator.x [mm],osc.oscillator.v [km/h],osc.oscillator.energy [J/kg]');
  const first = rows[1].split(',').map(Number);
  expect(first[1]).toBe(1000);
  expect(first[2]).toBeCloseTo(36, 9);
  expect(first[3]).toBeCloseTo(0.5 * 10 * 10 + 0.5 * (2 * Math.PI) ** 2 * 1, 9); // J/kg from SI values
  for (const row of [rows[100], rows[501]]) {
    const [t, xs, vs] = row.split(',').map(Number);
    const exact = oscillator(t, 1, 10);
    expect(Math.abs(xs - 1000 * exact.x)).toBeLessThan(1e-3);
    expect(Math.abs(vs - 3.6 * exact.v)).toBeLessThan(1e-4);
  }

  // Typing 72 km/h runs from 20 m/s (72 sent as is would be 72 m/s, a swing 3.6 times as large).
  const field = vRow.locator('input[type="number"]');
  await field.fill('72');
  await field.press('Enter');
  await expect.poll(async () => (await current(page, 'osc.oscillator.v [km/h]')).y[0]).toBeCloseTo(72, 9);
  expect(worst(await current(page, 'osc.oscillator.x [mm]'), (t) => 1000 * oscillator(t, 1, 20).x)).toBeLessThan(1e-3);
  // What is kept (and carried by share links) is what was typed.
  await expect.poll(async () => (await savedState(page)).overrides).toEqual({ 'osc.oscillator.v': 72 });

  // The slider moves in km/h too.
  await vRow.locator('input[type="range"]').fill('300');
  const slid = Number(await field.inputValue());
  expect(slid).not.toBe(72);
  await expect.poll(async () => (await current(page, 'osc.oscillator.v [km/h]')).y[0]).toBeCloseTo(slid, 6);
  expect(
    worst(await current(page, 'osc.oscillator.x [mm]'), (t) => 1000 * oscillator(t, 1, slid / 3.6).x),
  ).toBeLessThan(1e-3);
  await shot(page, 'units-display');

  // A sweep over v: its range is in km/h, its curves in mm.
  await page.click('.view-tab[data-tab="sweep"]');
  await page.selectOption('#sweep-param', 'osc.oscillator.v');
  await page.fill('#sweep-from', '36');
  await page.fill('#sweep-to', '72');
  await page.fill('#sweep-count', '2');
  await page.selectOption('#sweep-spacing', 'linear');
  await page.selectOption('#sweep-key', 'osc.oscillator.x');
  await page.click('#sweep-run');
  await expect(page.locator('#sweep-status')).toContainText('2 runs in');
  const curves = (await traces(page, '#sweep-plot')).filter((t) => t.mode === 'lines');
  expect(curves.map((c) => c.name)).toEqual(['osc.oscillator.v = 36.00 km/h', 'osc.oscillator.v = 72.00 km/h']);
  expect(worst(curves[0], (t) => 1000 * oscillator(t, 1, 10).x)).toBeLessThan(1e-3);
  expect(worst(curves[1], (t) => 1000 * oscillator(t, 1, 20).x)).toBeLessThan(1e-3);
  g.check();
});

test('an output in degC is plotted and exported in degC', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'thermal_rc');
  await page.click('#variables-menu summary');
  await page.locator('#variables input[value="block.capacity.celsius"]').check();
  await expect.poll(async () => Boolean(await current(page, 'block.capacity.celsius [degC]'))).toBe(true);
  const celsius = await current(page, 'block.capacity.celsius [degC]');
  // The block starts at the ambient 20 degC and settles 11.32 K above it (20 W through the network of the model).
  expect(celsius.y[0]).toBeCloseTo(20, 9);
  expect(Math.abs(celsius.y.at(-1) - (20 + (20 / 2.12) * 1.2))).toBeLessThan(0.05);
  await page.click('#export-menu summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const rows = fs
    .readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  const header = rows[0].split(',');
  const T = header.indexOf('block.capacity.T [K]');
  const C = header.indexOf('block.capacity.celsius [degC]');
  expect(T).toBeGreaterThan(0);
  expect(C).toBeGreaterThan(0);
  for (const row of [rows[1], rows[700], rows.at(-1)]) {
    const cells = row.split(',').map(Number);
    expect(cells[C]).toBeCloseTo(cells[T] - 273.15, 9);
  }
  g.check();
});
