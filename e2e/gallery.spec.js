// Every gallery model and every gallery plan, opened the way a shared link opens them (?model=NAME), in Chromium
// against the production build. Data-driven from models/gallery.json: a model added there is covered here.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { annotate, guard, ready, traces } from './support.js';

const gallery = JSON.parse(fs.readFileSync('models/gallery.json', 'utf8'));
const entries = gallery.groups.flatMap((g) => g.models);

for (const entry of entries) {
  const name = entry.file.replace(/\.yaml$/, '');
  test(`?model=${name} solves and plots, with no error`, async ({ page }) => {
    const g = guard(page);
    await page.goto(`/?model=${name}`);
    await expect(page.locator('#model-name')).toHaveText(name);
    await ready(page);
    await expect(page.locator('#status')).not.toHaveClass(/error/);
    await expect(page.locator('#status')).toContainText(`${name}: `);
    const curves = (await traces(page)).filter((t) => t.x.length > 1);
    expect(curves.length, 'curves plotted').toBeGreaterThan(0);
    for (const c of curves) expect(c.y.every(Number.isFinite), `${c.name} is finite`).toBe(true);
    g.check();
  });
}

for (const entry of entries.filter((e) => e.plan)) {
  const name = entry.file.replace(/\.yaml$/, '');
  test(`${entry.plan} runs to the end in the browser: every test finished, results downloadable`, async ({ page }) => {
    test.setTimeout(120_000);
    const g = guard(page);
    await page.goto(`/?model=${name}`);
    await ready(page);
    await page.click('.view-tab[data-tab="characterize"]');
    await page.click('#plan-run');
    await expect(page.locator('#plan-status')).toContainText('points in', { timeout: 100_000 });
    const rows = page.locator('#plan-summary tr[data-test]');
    expect(await rows.count()).toBeGreaterThan(0);
    for (const status of await rows.evaluateAll((rs) => rs.map((r) => r.className))) expect(status).toBe('ok');
    await expect(page.locator('#results-json')).toBeEnabled();
    expect(await page.locator('.panel').count()).toBeGreaterThan(0);
    g.check();
  });
}

test('every gallery card shows its human title from the model file and a preview of its first plot', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  const opened = Date.now();
  await page.click('#gallery-button');
  await expect(page.locator('#gallery .preview[data-state="ready"]')).toHaveCount(entries.length, { timeout: 60_000 });
  test.info().annotations.push(annotate('gallery: all previews drawn after opening (ms)', Date.now() - opened));
  for (const entry of entries) {
    const name = entry.file.replace(/\.yaml$/, '');
    const title = /^title:\s*(.+)$/m.exec(fs.readFileSync(`models/${entry.file}`, 'utf8'))?.[1].trim();
    expect(title, `${entry.file} has a title:`).toBeTruthy();
    expect(title).not.toContain('_');
    const card = page.locator(`#gallery .card[data-model="${name}"]`);
    await expect(card.locator('.card-title')).toHaveText(title);
    // The preview: solved in the core's worker, drawn as a small SVG of what the model shows first.
    const preview = card.locator('.preview');
    await expect(preview).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(preview).toHaveAttribute('aria-label', /^preview: .+ against /);
    const paths = await preview.locator('path').evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
    expect(paths.length, `${name}: curves in the preview`).toBeGreaterThan(0);
    for (const d of paths) {
      const points = d.match(/[ML]/g) ?? [];
      expect(points.length, `${name}: points in the preview`).toBeGreaterThan(50);
      expect(d).not.toContain('NaN');
    }
  }
  await page.screenshot({ path: 'test-results/screens/gallery.png' });
  // Opened again, the previews are kept (no second solve).
  await page.keyboard.press('Escape');
  await page.click('#gallery-button');
  await expect(page.locator('#gallery .preview[data-state="ready"]')).toHaveCount(entries.length);
  g.check();
});
