// What a newcomer meets (issue 12): the first screen says what to do in one line and opens on a plot a newcomer can
// read (the valve's lift and its two tanks, not six traces) beside the valve's own sliders (the other entities'
// folded, not 35 sliders); problems in the model are placed where the user made
// them; a link whose model does not compile does not promise a "last good run" that never was.
import { test, expect } from '@playwright/test';
import { guard, pickModel, ready, savedState, setEditor, traces } from './support.js';

test("a newcomer sees one line saying what to do, over the valve, its two tanks and its lift, and the valve's sliders", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  const hint = page.locator('#notice');
  await expect(hint).toBeVisible();
  await expect(hint).toContainText('Start here: drag a parameter slider');
  await expect(hint).toContainText('Help (?)');
  // One line: the banner is no taller than one line of its text (plus padding).
  const lineHeight = await page
    .locator('#notice-text')
    .evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || 20);
  expect((await page.locator('#notice-text').boundingBox()).height).toBeLessThan(1.6 * lineHeight);
  const shown = (await traces(page)).filter((t) => !t.name.includes('previous')).map((t) => t.name.split(' ')[0]);
  expect(shown).toEqual(['valve.poppet.x', 'inlet_tank.volume.p', 'outlet_tank.volume.p']);
  // The valve's own parameters, not a wall of 35 sliders: the tanks', pipes' and orifices' are folded by entity.
  const visibleSliders = () => page.locator('#params input[type="range"]:visible').count();
  expect(await visibleSliders()).toBeLessThanOrEqual(14);
  await expect(page.locator('.param[data-key="valve.poppet.k"] input[type="range"]')).toBeVisible();
  await expect(page.locator('.param-group[data-entity="inlet_tank"] > summary').first()).toHaveText('inlet_tank (3)');
  await page.locator('.param-group[data-entity="inlet_tank"] > summary').first().click();
  await expect(page.locator('.param[data-key="inlet_tank.volume.V"] input[type="range"]')).toBeVisible();
  await page.fill('.param-filter', 'orifice_out');
  await expect(page.locator('.param[data-key="orifice_out.orifice.A"] input[type="range"]')).toBeVisible();
  expect(await visibleSliders()).toBe(3);
  await page.fill('.param-filter', '');
  await expect(page.locator('.param[data-key="orifice_out.orifice.A"]')).toBeHidden();
  await expect(page.locator('.param[data-key="inlet_tank.volume.V"] input[type="range"]')).toBeVisible(); // still open
  await page.screenshot({ path: 'test-results/screens/first-screen-1440x900.png' });
  // Dismissed, or once there is saved work, it is not said again.
  await page.click('#notice-close');
  await expect(hint).toBeHidden();
  await savedState(page, 'fluid_poppet');
  await page.reload();
  await ready(page);
  await expect(hint).toBeHidden();
  g.check();
});

test('a group opened just before typing in the filter is still open once the filter is cleared', async ({ page }) => {
  // Found as a flaky CI run: the click's `toggle` event came after the filter's first keystroke had folded the
  // group again, so the user's choice was never recorded. Here the click and the keystroke share one task, which
  // makes that order certain.
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  const slider = page.locator('.param[data-key="inlet_tank.volume.V"] input[type="range"]');
  await expect(slider).toBeHidden();
  await page.evaluate(() => {
    document.querySelector('.param-group[data-entity="inlet_tank"] > summary').click();
    const filter = document.querySelector('.param-filter');
    filter.value = 'orifice_out';
    filter.dispatchEvent(new Event('input'));
  });
  await expect(page.locator('.param[data-key="orifice_out.orifice.A"] input[type="range"]')).toBeVisible();
  await expect(slider).toBeHidden(); // no match while filtering
  await page.fill('.param-filter', '');
  await expect(slider).toBeVisible();
  // And a fold is kept the same way.
  await page.evaluate(() => {
    document.querySelector('.param-group[data-entity="inlet_tank"] > summary').click();
    const filter = document.querySelector('.param-filter');
    filter.value = 'inlet_tank';
    filter.dispatchEvent(new Event('input'));
  });
  await expect(slider).toBeVisible(); // a match while filtering
  await page.fill('.param-filter', '');
  await expect(slider).toBeHidden();
  g.check();
});

test('under-indenting the first line of a block is reported on that line, not the next', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const text = (await savedState(page)).model.text;
  const lines = text.split('\n');
  const x = lines.findIndex((l) => l.startsWith('      x: { value: 1'));
  lines[x] = lines[x].slice(1); // five spaces, the other fields six
  await setEditor(page, 'model', lines.join('\n'));
  const problem = page.locator('#diagnostics li.error').first();
  await expect(problem).toContainText(`oscillator.yaml:${x + 1}:6:`);
  await expect(problem).toContainText('this line is indented by 5 spaces and the next by 6');
  // The editor marks that line too.
  await expect(page.locator('#editor-model .cm-lintRange-error').first()).toBeVisible();
  g.check();
});

test('`parms:` is one error that names params, not six that call parameters ports', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const text = (await savedState(page)).model.text;
  await setEditor(page, 'model', text.replace('    params:', '    parms:'));
  await expect(page.locator('#diagnostics li.error')).toHaveCount(1);
  await expect(page.locator('#diagnostics li.error')).toContainText(
    'unknown key `parms` in component `oscillator` (did you mean `params`?)',
  );
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(1); // the editor marks that one place only
  await expect(page.locator('#status')).toContainText('1 problem in the model');
  g.check();
});

test('a link whose model does not compile says there is nothing to plot, not "the last good run"', async ({
  page,
  browser,
}) => {
  // The link: made from a model broken on purpose.
  const maker = await browser.newContext();
  const other = await maker.newPage();
  await other.goto('/');
  await ready(other);
  await pickModel(other, 'oscillator');
  const text = (await savedState(other)).model.text;
  await setEditor(other, 'model', text.replace('der(o.x) += o.v', 'der(o.x) += o.speed'));
  await expect(other.locator('#status')).toContainText('problem');
  await other.click('#share');
  await expect(other.locator('#share')).toHaveAttribute('data-url', /#n=\d+/);
  const url = await other.locator('#share').getAttribute('data-url');
  await maker.close();

  const g = guard(page);
  await page.goto(url);
  await expect(page.locator('body')).toHaveAttribute('data-state', 'error');
  await expect(page.locator('#status')).toContainText('problem in the model; nothing to plot until it compiles');
  await expect(page.locator('#status')).not.toContainText('last good run');
  expect(await traces(page)).toEqual([]);
  // Mended, it plots; broken again, now there is a last good run to keep.
  await setEditor(page, 'model', text);
  await ready(page);
  await setEditor(page, 'model', text.replace('der(o.x) += o.v', 'der(o.x) += o.speed'));
  await expect(page.locator('#status')).toContainText('the plot shows the last good run');
  g.check();
});
