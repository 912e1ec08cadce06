// Accessibility (issue 12): axe-core finds no serious or critical violation on the workbench at the three sizes, in
// both themes, with a kept run listed, with the export menu, the share dialog, the gallery, My work and Help open,
// and in the embed view.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ready } from './support.js';

const sizes = [
  { width: 390, height: 844 },
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
];

/// The serious and critical violations axe finds on the page as it is now, as readable lines (rule: element).
async function violations(page, what) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (n) =>
          `${what}: ${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`,
      ),
    );
}

for (const theme of ['light', 'dark'])
  for (const viewport of sizes)
    test(`no serious or critical violations at ${viewport.width}x${viewport.height}, ${theme} theme, menus and dialogs open`, async ({
      browser,
    }) => {
      const context = await browser.newContext({ viewport, colorScheme: theme, hasTouch: viewport.width < 900 });
      const page = await context.newPage();
      await page.goto('/');
      await ready(page);
      await page.click('.keep-run'); // a kept run listed, so its controls are checked too
      await expect(page.locator('.kept-list li')).toHaveCount(1);
      const found = await violations(page, 'page');
      await page.click('#export-menu summary');
      await expect(page.locator('#export-csv')).toBeVisible();
      found.push(...(await violations(page, 'export menu open')));
      await page.keyboard.press('Escape');
      await page.click('#share');
      await expect(page.locator('#share-dialog')).toBeVisible();
      found.push(...(await violations(page, 'share dialog open')));
      await page.keyboard.press('Escape');
      await page.click('#gallery-button');
      await expect(page.locator('#gallery')).toBeVisible();
      found.push(...(await violations(page, 'gallery open')));
      await page.keyboard.press('Escape');
      await page.click('#works-button');
      await expect(page.locator('#works')).toBeVisible();
      found.push(...(await violations(page, 'my work open')));
      await page.keyboard.press('Escape');
      await page.click('#help-button');
      await expect(page.locator('#help #help-file .help-entry').first()).toBeVisible();
      found.push(...(await violations(page, 'help open')));
      expect(found).toEqual([]);
      await context.close();
    });

for (const theme of ['light', 'dark'])
  test(`the embed view (600x400) has no serious or critical violations, ${theme} theme`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 600, height: 400 }, colorScheme: theme });
    const page = await context.newPage();
    await page.goto('/?model=oscillator&embed=1');
    await ready(page);
    expect(await violations(page, 'embed')).toEqual([]);
    await context.close();
  });
