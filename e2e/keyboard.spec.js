// The keyboard (issue 12): Tab never edits the document (it moves focus through the page, in and out of the
// editors), indentation is on the editor's own keys or an explicit toggle, Escape closes menus and dialogs, and
// Ctrl+Enter runs what the tab shown runs, from the editors too.
import { test, expect } from '@playwright/test';
import { guard, pickModel, ready, savedState } from './support.js';

const firstLine = (page) => page.locator('#editor-model .cm-line').first();

test('45 Tabs from the page leave the model as it was, and focus leaves the editor', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const before = (await savedState(page, 'oscillator')).model.text;
  const line1 = await firstLine(page).textContent();
  await page.locator('h1').click(); // focus on the page, not in a field
  let inEditor = 0;
  let leftEditor = false;
  for (let i = 0; i < 45; ++i) {
    await page.keyboard.press('Tab');
    const where = await page.evaluate(() => (document.activeElement?.closest('.cm-editor') ? 'editor' : 'page'));
    if (where === 'editor') inEditor += 1;
    else if (inEditor) leftEditor = true;
  }
  expect(inEditor, 'Tab reaches the editor').toBeGreaterThan(0);
  expect(inEditor, 'and leaves it with the next Tab').toBe(1);
  expect(leftEditor).toBe(true);
  for (let i = 0; i < 10; ++i) await page.keyboard.press('Shift+Tab');
  await page.waitForTimeout(400); // longer than the autosave's debounce
  await expect(firstLine(page)).toHaveText(line1);
  expect((await savedState(page)).model.text).toBe(before);
  await expect(page.locator('#keys-hint')).toContainText('Tab leaves the editor');
  g.check();
});

test("indentation is on the editor's own keys, and Tab indents only when asked", async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const line1 = await firstLine(page).textContent();
  await firstLine(page).click();
  await page.keyboard.press('Control+]');
  await expect(firstLine(page)).toHaveText(`  ${line1}`);
  await page.keyboard.press('Control+[');
  await expect(firstLine(page)).toHaveText(line1);
  await page.check('#tab-indents');
  await firstLine(page).click();
  await page.keyboard.press('Home');
  await page.keyboard.press('Tab');
  await expect(firstLine(page)).toHaveText(`  ${line1}`);
  await page.keyboard.press('Shift+Tab');
  await expect(firstLine(page)).toHaveText(line1);
  g.check();
});

test('Escape closes the export menu, the gallery and My work', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await page.click('#export-menu summary');
  await expect(page.locator('#export-png')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('#export-png')).toBeHidden();
  await page.click('#variables-menu summary');
  await expect(page.locator('#variables')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('#variables')).toBeHidden();
  await page.click('#gallery-button');
  await expect(page.locator('#gallery')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('#gallery')).toBeHidden();
  await page.click('#works-button');
  await expect(page.locator('#works')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('#works')).toBeHidden();
  g.check();
});

test('Ctrl+Enter runs the tab shown, from the editor without editing it, and from the page', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const before = (await savedState(page, 'oscillator')).model.text;
  await page.click('.view-tab[data-tab="sweep"]');
  await page.fill('#sweep-count', '3');
  await page.locator('#sweep-count').dispatchEvent('change');
  await firstLine(page).click();
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('#sweep-status')).toContainText('3 runs in');
  await page.waitForTimeout(400);
  expect((await savedState(page)).model.text).toBe(before); // no blank line inserted
  await page.locator('h1').click();
  await page.fill('#sweep-count', '4');
  await page.locator('#sweep-count').dispatchEvent('change');
  await page.locator('h1').click();
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('#sweep-status')).toContainText('4 runs in');
  g.check();
});
