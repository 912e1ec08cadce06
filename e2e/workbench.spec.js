// The workbench in Chromium against the production build: every "Done when" of the workbench issue, with
// screenshots of the main views kept in test-results/. Timings are measured in bench/browser/, not here.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { guard, oscillatorX, pickModel, ready, savedState, setEditor, setUpPoppetSweep, traces } from './support.js';

const shot = (page, name) => page.screenshot({ path: `test-results/screens/${name}.png` });

test('opens on the fluid poppet solved and plotted, with nothing from other origins', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await expect(page.locator('#model-name')).toHaveText('fluid_poppet');
  const all = await traces(page);
  const lift = all.find((t) => t.name.startsWith('valve.poppet.x'));
  const inlet = all.find((t) => t.name.startsWith('inlet_tank.volume.p'));
  expect(lift && inlet, 'poppet lift and inlet pressure are plotted').toBeTruthy();
  // Reference model 3: 3000 points over [0, 0.15] s; the poppet opens at once, peaks at 1.63 mm, never reaches its
  // 3 mm stop; the inlet tank starts at 3 bar.
  expect(lift.x.length).toBe(3000);
  expect(lift.x.at(-1)).toBeCloseTo(0.15, 12);
  const peak = Math.max(...lift.y);
  expect(peak).toBeGreaterThan(1.6e-3);
  expect(peak).toBeLessThan(1.66e-3);
  expect(inlet.y[0]).toBe(3e5);
  await expect(page.locator('#stats')).toContainText('steps');
  await shot(page, 'simulation');
  g.check();
});

test('the oscillator plots its analytic solution, and a parameter edit changes the plot', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  let x = (await traces(page)).find((t) => t.name.startsWith('osc.oscillator.x') && !t.name.includes('previous'));
  let worst = 0;
  for (let k = 0; k < x.x.length; ++k) worst = Math.max(worst, Math.abs(x.y[k] - oscillatorX(x.x[k])));
  expect(worst).toBeLessThan(1e-6); // rtol 1e-8, atol 1e-10 in the model
  const zeta = page.locator('.param[data-key="osc.oscillator.zeta"] input[type="number"]');
  await zeta.fill('0.5');
  await zeta.press('Enter');
  await expect
    .poll(async () => {
      x = (await traces(page)).find((t) => t.name.startsWith('osc.oscillator.x') && !t.name.includes('previous'));
      return Math.abs(x.y[250] - oscillatorX(x.x[250], 0.5));
    })
    .toBeLessThan(1e-6);
  // The previous run stays overlaid, dashed, for comparison.
  expect((await traces(page)).some((t) => t.name === 'osc.oscillator.x (previous)')).toBe(true);
  // The slider re-solves as it moves.
  const before = x.y[100];
  await page.locator('.param[data-key="osc.oscillator.omega"] input[type="range"]').fill('700');
  await expect
    .poll(
      async () =>
        (await traces(page)).find((t) => t.name.startsWith('osc.oscillator.x') && !t.name.includes('previous')).y[100],
    )
    .not.toBe(before);
  g.check();
});

test('a model error shows at its line while the last good plot stays', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const good = await traces(page);
  const text = (await savedState(page, 'oscillator')).model.text;
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('der(o.v)')) + 1;
  await setEditor(page, 'model', text.replace('- der(o.v) +=', '- der(o.v) += o.missing_field +'));
  await expect(page.locator('body')).toHaveAttribute('data-state', 'error');
  await expect(page.locator('#diagnostics')).toContainText(`oscillator.yaml:${line}:`);
  await expect(page.locator('#diagnostics')).toContainText('missing_field');
  await expect(page.locator('#editor-model .cm-lintRange-error').first()).toBeVisible();
  expect(await traces(page)).toEqual(good);
  await shot(page, 'model-error');
  g.check();
});

test('a parameter sweep draws one curve per run, the same curves on one worker and on two', async ({ page }) => {
  const g = guard(page);
  await setUpPoppetSweep(page);
  await page.selectOption('#sweep-key', 'valve.poppet.x');
  const runs = {};
  for (const workers of ['1', '2']) {
    await page.selectOption('#sweep-workers', workers);
    await page.click('#sweep-run');
    await expect(page.locator('#sweep-status')).toContainText(`12 runs in`);
    await expect(page.locator('#sweep-status')).toContainText(workers === '1' ? 'on 1 worker' : 'on 2 workers');
    runs[workers] = (await traces(page, '#sweep-plot')).filter((t) => t.mode === 'lines');
  }
  const curves = runs['2'];
  expect(curves).toHaveLength(12);
  // The pool hands runs to whichever worker is free; each run's curve must not depend on which one it was.
  expect(curves).toEqual(runs['1']);
  // Stiffer springs open the poppet less: the peak lift falls across the family.
  const peaks = curves.map((c) => Math.max(...c.y));
  for (let i = 1; i < peaks.length; ++i) expect(peaks[i]).toBeLessThan(peaks[i - 1]);
  await shot(page, 'sweep');
  g.check();
});

test('a characterization plan produces a Bode plot that matches the analytic FRF', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'linear_msd');
  await page.click('.view-tab[data-tab="characterize"]');
  await page.click('#plan-run');
  await expect(page.locator('#plan-status')).toContainText('points in', { timeout: 60_000 });
  await expect(page.locator('#plan-summary tr[data-test="stepped_sine"]')).toHaveClass('ok');
  const bode = page.locator('.panel[data-panel="bode"]').first();
  const data = await bode.evaluate((el) =>
    el.data.map((d) => ({ name: d.name, x: Array.from(d.x), y: Array.from(d.y), yaxis: d.yaxis })),
  );
  const stepped = data.find((d) => d.name === 'stepped_sine' && !d.yaxis);
  expect(stepped.x.length).toBe(25);
  for (let i = 0; i < stepped.x.length; ++i) {
    const w = 2 * Math.PI * stepped.x[i];
    const exact = 20 * Math.log10(1 / Math.hypot(1000 - w * w, 2 * w));
    expect(Math.abs(stepped.y[i] - exact)).toBeLessThan(1e-3); // dB: 0.01 %
  }
  expect(data.some((d) => d.name === 'linearized')).toBe(true);
  // The magnitude axis names the FRF's unit (metres per unit of force), in dB with its reference.
  const axis = await bode.evaluate((el) => el.layout.yaxis.title.text);
  expect(axis).toMatch(/^\|H\| \[dB re 1 m\/.+\]$/);
  expect(await page.locator('.panel').count()).toBeGreaterThanOrEqual(5);
  // The results download as CSV tables made by the core.
  await page.click('#results-csv-menu summary');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#results-csv button[data-file="stepped_sine.csv"]'),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.split('\n')[0]).toBe('frequency,magnitude,magnitude_db,phase_deg,real,imag');
  await shot(page, 'characterize');
  g.check();
});

test('a share link restores model, plan and view in a fresh browser', async ({ page, browser }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'nonlinear_oscillator');
  const field = page.locator('.param[data-key="osc.oscillator.c1"] input[type="number"]');
  await field.fill('3.5');
  await field.press('Enter');
  await expect(page.locator('.param[data-key="osc.oscillator.c1"]')).toHaveClass(/changed/);
  await page.click('.view-tab[data-tab="sweep"]');
  await page.click('#share');
  await expect(page.locator('#share')).toHaveAttribute('data-url', /#n=\d+&h=[0-9a-f]{8}&s=/);
  const url = await page.locator('#share').getAttribute('data-url');
  const sent = await savedState(page, 'nonlinear_oscillator');
  await expect.poll(async () => (await savedState(page)).overrides).toEqual({ 'osc.oscillator.c1': 3.5 });

  const other = await browser.newContext(); // no shared storage: only the link carries the state
  const fresh = await other.newPage();
  const g2 = guard(fresh);
  await fresh.goto(url);
  await ready(fresh);
  await expect(fresh.locator('#model-name')).toHaveText('nonlinear_oscillator');
  await expect(fresh.locator('.param[data-key="osc.oscillator.c1"] input[type="number"]')).toHaveValue('3.5');
  await expect(fresh.locator('.view-tab[data-tab="sweep"]')).toHaveAttribute('aria-selected', 'true');
  const received = await savedState(fresh);
  expect(received.model.text).toBe(sent.model.text);
  expect(received.plan.text).toBe(sent.plan.text);
  expect(received.overrides).toEqual({ 'osc.oscillator.c1': 3.5 });
  expect(fresh.url()).toContain('&s='); // the address still holds the link: bookmarkable
  g.check();
  g2.check();
  await other.close();
});

test('exported solution CSV holds the plotted solution', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  await page.click('#export-menu summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  expect(download.suggestedFilename()).toBe('oscillator.csv');
  const rows = fs
    .readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  // The core's writer (solution_csv, as `numen run --outputs --format csv`): states, then outputs, each named with
  // its unit; the first row is the start, x0 = 1 m at rest with (2 pi)^2 / 2 J/kg, in the shortest text that reads
  // back (0, not 0.0 or 0e+00).
  expect(rows[0]).toBe('t,osc.oscillator.x [m],osc.oscillator.v [m/s],osc.oscillator.energy [J/kg]');
  expect(rows[1]).toMatch(/^0,1,0,19\.7392088021787\d*$/);
  expect(rows).toHaveLength(502);
  for (const row of [rows[1], rows[250], rows[501]]) {
    const [t, x, v, energy] = row.split(',').map(Number);
    expect(Math.abs(x - oscillatorX(t))).toBeLessThan(1e-6);
    expect(energy).toBeCloseTo(0.5 * v * v + 0.5 * (2 * Math.PI) ** 2 * x * x, 9);
  }
  await page.click('#export-menu summary');
  const [model] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
  expect(fs.readFileSync(await model.path(), 'utf8')).toContain('model: oscillator');
});

test('Cancel stops a long solve, and the next run works', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'lorenz');
  await page.fill('#t-end', '1e7');
  await page.fill('#rtol', '1e-12');
  await page.locator('#rtol').press('Tab');
  // At once: these solves stop at max_steps after about a second, so a wait could let them finish first on a busy
  // machine (the test then saw 'ready', not 'cancelled').
  await expect(page.locator('#cancel')).toBeEnabled();
  const clicked = Date.now();
  await page.click('#cancel');
  await expect(page.locator('body')).toHaveAttribute('data-state', 'cancelled');
  await expect(page.locator('#status')).toContainText('Cancelled');
  expect(Date.now() - clicked).toBeLessThan(2000);
  await page.fill('#t-end', '');
  await page.fill('#rtol', '');
  await page.click('#run');
  await ready(page);
  await expect(page.locator('#stats')).toContainText('steps');
  g.check();
});

test('a reload keeps the edits', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const text = (await savedState(page, 'oscillator')).model.text;
  const edited = text.replace('zeta: { value: 0.05', 'zeta: { value: 0.2');
  expect(edited).not.toBe(text);
  await setEditor(page, 'model', edited);
  await expect.poll(async () => (await savedState(page)).model.text).toBe(edited);
  await page.reload();
  await ready(page);
  expect((await savedState(page)).model.text).toBe(edited);
  const x = (await traces(page)).find((t) => t.name.startsWith('osc.oscillator.x'));
  expect(Math.abs(x.y[250] - oscillatorX(x.x[250], 0.2))).toBeLessThan(1e-6);
});

test('the plan editor completes keys from the schema and marks schema errors at their line', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'linear_msd');
  await page.click('.editor-tab[data-editor="plan"]');
  const plan = (await savedState(page, 'linear_msd')).plan.text;
  const broken = plan.replace('    measure_periods: 4', '    measure_period: 4');
  await setEditor(page, 'plan', broken);
  await expect(page.locator('#editor-plan .cm-lintRange-error').first()).toBeVisible();
  // The mark sits on the misspelt key's own line.
  await expect(page.locator('#editor-plan .cm-line', { has: page.locator('.cm-lintRange-error') })).toContainText(
    'measure_period: 4',
  );
  await page.hover('#editor-plan .cm-lintRange-error');
  await expect(page.locator('.cm-tooltip-lint')).toContainText('did you mean `measure_periods`');
  // Completion inside a stepped-sine test offers that type's keys.
  await setEditor(page, 'plan', plan.replace('    measure_periods: 4', '    measure_periods: 4\n    settle_t'));
  await page.locator('#editor-plan .cm-line', { hasText: 'settle_t' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('settle_tolerance');
  await shot(page, 'plan-editor');
});

test('gallery and presentation view', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await page.click('#gallery-button');
  expect(await page.locator('#gallery .card').count()).toBeGreaterThanOrEqual(15);
  await shot(page, 'gallery');
  await page.click('#gallery .close');
  await page.click('#present');
  await expect(page.locator('body')).toHaveClass(/presentation/);
  await expect(page.locator('.left')).toBeHidden();
  await shot(page, 'presentation');
});

test('once loaded, the workbench works offline', async ({ page, context }) => {
  await page.goto('/');
  await ready(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await ready(page);
  await pickModel(page, 'pendulum');
  await expect(page.locator('#stats')).toContainText('steps');
  await context.setOffline(false);
});

test("a plan's solver.workers sizes the pool for its run, capped by the machine's cores", async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'linear_msd');
  await page.click('.view-tab[data-tab="sweep"]');
  await page.selectOption('#sweep-workers', '1'); // the page's choice, which the plan's own count overrides
  await page.click('.editor-tab[data-editor="plan"]');
  await setEditor(
    page,
    'plan',
    `model: { file: ../linear_msd.yaml }
solver: { method: Tsit5, rtol: 1e-8, atol: 1e-10, workers: 2 }
excitation: { entity: mass, component: body, port: force, output: mass.body.x, scale_by: mass.body.m }
tests:
  - { name: sine, type: discrete_frequency_sweep, frequencies: [2, 5, 9, 12] }
`,
  );
  await page.click('.view-tab[data-tab="characterize"]');
  await page.click('#plan-run');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency || 2);
  const expected = Math.min(2, cores);
  await expect(page.locator('#plan-status')).toContainText(`points in`, { timeout: 60_000 });
  await expect(page.locator('#plan-status')).toContainText(`on ${expected} worker${expected === 1 ? '' : 's'}`);
  await expect(page.locator('#plan-summary tr[data-test="sine"]')).toHaveClass('ok');
  g.check();
});
