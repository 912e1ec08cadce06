// Help in the page (issue 12): the model-language reference, reachable by a button and the ? key, generated from
// the model schema and the core's function library; searchable, keyboard-usable, closed by Escape. And completion
// inside equations: der(, the system's slots, a slot's fields, functions with their arguments.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { editorText, guard, pickModel, ready, setEditor } from './support.js';

const schema = JSON.parse(fs.readFileSync('schemas/model.schema.json', 'utf8'));

test('the reference opens with Help and with ?, lists keys, fields, equations, units and every function, and Escape closes it', async ({
  page,
}) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await page.click('#help-button');
  const help = page.locator('#help');
  await expect(help).toBeVisible();
  await expect(help).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#help-search')).toBeFocused();
  // Every top-level key of the schema, with its description.
  for (const [key, spec] of Object.entries(schema.properties)) {
    const row = help.locator('#help-file .help-entry', { hasText: `${key}:` }).first();
    await expect(row).toBeVisible();
    if (spec.description) await expect(row).toContainText(spec.description.replace(/`/g, '').slice(0, 30));
  }
  // Component fields and their sub-keys; equations and events syntax; units syntax and the table.
  for (const text of ['states:', 'params:', 'algebraics:', 'outputs:', 'ports:', 'targets:', 'gain:'])
    await expect(help.locator('#help-components dt', { hasText: text }).first()).toBeVisible();
  for (const text of ['der(a.x) += expr', '0 = expr', 'name = expr', 'residual(a.z) += expr'])
    await expect(help.locator('#help-systems dt', { hasText: text })).toBeVisible();
  await expect(help.locator('#help-events dt', { hasText: 'when:' }).first()).toBeVisible();
  await expect(help.locator('#help-units dt', { hasText: '9.81[m/s^2]' })).toBeVisible();
  await expect(help.locator('#help-units summary')).toContainText('numen units');
  // Every function the core knows, with its signature and description (the table the core gives the page).
  const functions = await help
    .locator('.help-function')
    .evaluateAll((rows) =>
      rows.map((r) => [r.dataset.name, r.querySelector('dt').textContent, r.querySelector('dd').textContent]),
    );
  expect(functions.length).toBeGreaterThan(35);
  for (const name of ['sqrt', 'atan2', 'clamp', 'interp', 'der', 'softpen', 'orifice_mdot', 'smooth_step'])
    expect(
      functions.some(([n]) => n === name),
      name,
    ).toBe(true);
  const atan2 = functions.find(([n]) => n === 'atan2');
  expect(atan2[1]).toBe('atan2(y, x)');
  expect(atan2[2]).toContain('angle of the point');
  expect(functions.find(([n]) => n === 'orifice_mdot')[2]).toContain('p_up [Pa]');

  // Search narrows to what matches; nothing matching says so.
  await page.fill('#help-search', 'orifice');
  await expect(help.locator('.help-function:visible')).toHaveCount(3);
  await expect(help.locator('#help-systems')).toBeHidden();
  await expect(help.locator('.help-count')).toContainText('match');
  await page.fill('#help-search', 'kN');
  await expect(help.locator('.help-unit:visible').first()).toBeVisible();
  await page.fill('#help-search', 'zzzz-no-such');
  await expect(help.locator('.help-count')).toHaveText('Nothing matches: try a shorter word');
  await page.fill('#help-search', '');

  // Keyboard: Tab reaches the section links, Enter jumps, Escape closes and focus returns to the page.
  await page.keyboard.press('Tab');
  await expect(help.locator('.help-nav a').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  // Escape is the dialog's: the valve's parameter groups (details elements, like the menus) stay as they were.
  await expect(page.locator('.param-group[data-entity="valve"]').first()).toHaveAttribute('open', '');

  // The ? key opens it from anywhere outside a text field, and not while typing in the editor.
  await page.locator('#run').focus();
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.locator('#editor-model .cm-content').click();
  await page.keyboard.press('End');
  await page.keyboard.type('?');
  await expect(help).toBeHidden();
  expect(await editorText(page, 'model')).toContain('?');
  await page.screenshot({ path: 'test-results/screens/help-closed.png' });
  g.check();
});

test('completion inside an equation: der(, the slot, its fields, a function with its arguments', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const text = await editorText(page, 'model');
  // A new equation line after the last one of `dynamics`.
  const last = '      - o.energy = 0.5 * o.v^2 + 0.5 * o.omega^2 * o.x^2';
  expect(text).toContain(last);
  await setEditor(page, 'model', text.replace(last, `${last}\n      - `));
  const lines = page.locator('#editor-model .cm-line');
  const index = (await editorText(page, 'model')).split('\n').indexOf('      - ');
  await lines.nth(index).click();
  await page.keyboard.press('End');
  const options = page.locator('.cm-tooltip-autocomplete li');
  // CodeMirror takes Enter as accepting a completion only 75 ms after the list opened (a fast typist's Enter is a
  // new line): wait as a person would.
  const accept = async () => {
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
  };
  // der( at the start of an equation, accepted as a snippet.
  await page.keyboard.type('de');
  await expect(options.first()).toContainText('der');
  await accept();
  await expect(lines.nth(index)).toHaveText('      - der(state) += expression');
  // The snippet's first field is selected: typing the slot replaces it, and the slot's dot offers the states only.
  await page.keyboard.type('o.');
  await expect(options).toHaveCount(2);
  expect((await options.allTextContents()).sort()).toEqual(['vstate [m/s]', 'xstate [m]']);
  await page.keyboard.type('v');
  await expect(options).toHaveCount(1);
  await accept();
  await expect(lines.nth(index)).toHaveText('      - der(o.v) += expression');
  // Tab goes on to the snippet's next field (while a snippet is being filled in); a function comes with its arguments.
  await page.keyboard.press('Tab');
  await page.keyboard.type('-o.omega * atan');
  await expect(options.first()).toContainText('atan');
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('(y, x)');
  await page.keyboard.type('2');
  await accept();
  await expect(lines.nth(index)).toHaveText('      - der(o.v) += -o.omega * atan2(y, x)');
  // A literal's unit, in brackets, completes from the unit table.
  await page.keyboard.press('Escape'); // leaves the snippet
  await page.keyboard.press('End');
  await page.keyboard.type(' * 1[rad/');
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('rad/s');
  await page.screenshot({ path: 'test-results/screens/equation-completion.png' });
  g.check();
});
