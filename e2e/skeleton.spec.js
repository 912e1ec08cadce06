// The walking skeleton end to end: the page's worker loads the wasm core, solves the default model, and the plotted
// curve is the damped oscillator's analytic solution (read back from the Plotly figure in the page).
import { test, expect } from '@playwright/test';

const omega = 2 * Math.PI;
const zeta = 0.05;
const omegaD = omega * Math.sqrt(1 - zeta * zeta);
const analytic = (t) =>
  Math.exp(-zeta * omega * t) * (Math.cos(omegaD * t) + (zeta / Math.sqrt(1 - zeta * zeta)) * Math.sin(omegaD * t));

test('opens with the oscillator solved in the worker and plotted', async ({ page }) => {
  const external = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:4174/')) external.push(r.url());
  });
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
  const traces = await page.evaluate(() =>
    document.getElementById('plot').data.map((d) => ({ name: d.name, x: Array.from(d.x), y: Array.from(d.y) })),
  );
  const x = traces.find((tr) => tr.name.startsWith('osc.oscillator.x'));
  expect(x, 'a trace for the displacement').toBeTruthy();
  expect(x.x.length).toBe(501); // the model's n_save_points
  expect(x.x[0]).toBe(0);
  expect(x.x.at(-1)).toBe(5);
  // Tolerances of the model's simulate block are rtol 1e-8, atol 1e-10: the global error stays below 1e-6.
  let worst = 0;
  for (let k = 0; k < x.x.length; ++k) worst = Math.max(worst, Math.abs(x.y[k] - analytic(x.x[k])));
  expect(worst).toBeLessThan(1e-6);
  await expect(page.locator('#status')).toContainText('Tsit5');

  const firstPlot = await page.evaluate(() => performance.getEntriesByName('numen:first-plot')[0]?.startTime);
  test.info().annotations.push({ type: 'navigation to first plot (ms)', description: String(Math.round(firstPlot)) });
  await page.screenshot({ path: 'test-results/skeleton.png' });
  expect(external, 'requests to other origins').toEqual([]);
  expect(consoleErrors).toEqual([]);
});
