// A model file may say what to show first (`plots:`), and the gallery opens each model on it: Lorenz as the
// butterfly (z against x, what its description promises), the pendulum with its energy, the quarter car's travel
// next to the body's acceleration. Data-driven: every gallery model that declares a view is checked.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { guard, pickModel, ready, traces } from './support.js';

const models = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'models');
const declared = fs
  .readdirSync(models)
  .filter((f) => f.endsWith('.yaml') && /^plots:/m.test(fs.readFileSync(path.join(models, f), 'utf8')))
  .map((f) => f.replace(/\.yaml$/, ''));

test('some gallery models declare their view', () =>
  expect(declared).toEqual(expect.arrayContaining(['lorenz', 'pendulum', 'quarter_car'])));

for (const name of declared) {
  test(`${name} opens on the view its file declares`, async ({ page }) => {
    const g = guard(page);
    await page.goto('/');
    await ready(page);
    await pickModel(page, name);
    const text = fs.readFileSync(path.join(models, `${name}.yaml`), 'utf8');
    const show =
      /^plots:.*show: \[([^\]]*)\]/m
        .exec(text)?.[1]
        .split(',')
        .map((k) => k.trim()) ?? [];
    const phase =
      /^plots:.*phase: \[([^\]]*)\]/m
        .exec(text)?.[1]
        .split(',')
        .map((k) => k.trim()) ?? [];
    const names = async () => (await traces(page)).map((t) => t.name ?? '').join(' | ');
    if (phase.length) {
      // A declared phase portrait is what the plot shows: y against x.
      await expect(page.locator('#phase-x')).toHaveValue(phase[0]);
      await expect(page.locator('#phase-y')).toHaveValue(phase[1]);
      await expect.poll(names).toContain(`${phase[1]} vs ${phase[0]}`);
    } else {
      for (const key of show) await expect.poll(names).toContain(key);
    }
    // The declared variables are the ones ticked for the time series.
    for (const key of show) await expect(page.locator(`#variables input[value="${key}"]`)).toBeChecked();
    g.check();
  });
}
