// Libraries in the workbench (issue 13): the Libraries tab shows, read-only, the standard library files the model
// uses (the core's own texts, models/lib/); completion offers their component names; a share link names the
// standard library's version, and a link from another version still opens, saying so.
import { test, expect } from '@playwright/test';
import zlib from 'node:zlib';
import { guard, pickModel, ready, savedState, setEditor } from './support.js';

test('the Libraries tab shows the standard libraries the model uses, and a link from another version opens', async ({
  page,
}) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'thermal_rc');
  await page.click('.editor-tab[data-editor="libraries"]');
  const pane = page.locator('#editor-libraries');
  await expect(pane).toBeVisible();
  await expect(pane.locator('h3')).toHaveText(['thermal stdlib/thermal.yaml, read-only']);
  await expect(pane.locator('pre')).toContainText('library: thermal');
  await expect(pane.locator('pre')).toContainText('conduction_to_ambient');
  expect(await pane.locator('[contenteditable="true"], textarea, input').count()).toBe(0);
  await page.click('.editor-tab[data-editor="model"]');

  // Completion: an entity's component names come from the library.
  const saved = await savedState(page, 'thermal_rc');
  await setEditor(
    page,
    'model',
    saved.model.text.replace('  air: { ambient: {} }', '  air: { ambient: {} }\n  fin: { convec'),
  );
  await page.locator('#editor-model .cm-line', { hasText: 'convec' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('convection');
  await page.keyboard.press('Escape');

  // A link made with another standard library: it opens on this one and says so.
  const state = { ...saved, stdlib: 'an-older-version' };
  const data = zlib.deflateRawSync(Buffer.from(JSON.stringify(state))).toString('base64url');
  await page.goto(`/#n=${data.length}&s=${data}`);
  await ready(page);
  await expect(page.locator('#model-name')).toHaveText('thermal_rc');
  await expect(page.locator('#notice')).toContainText('another version of the standard library');
  await expect(page.locator('#link-error')).toBeHidden();
  g.check();
});
