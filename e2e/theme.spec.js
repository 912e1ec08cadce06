// The dark theme (issue 12): it follows the system's prefers-color-scheme, a toggle overrides it and is remembered;
// the page, the plots (layout colours, a palette that stays distinguishable), the editors and the dialogs follow.
// Screenshots of both themes go to test-results/screens/.
import { test, expect } from '@playwright/test';
import { guard, ready } from './support.js';

/// WCAG relative luminance and contrast of two colours (#rrggbb or rgb(r, g, b)).
function rgb(color) {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
  return color
    .match(/\d+(\.\d+)?/g)
    .slice(0, 3)
    .map(Number);
}
function luminance(color) {
  const [r, g, b] = rgb(color).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

async function looks(page) {
  return page.evaluate(() => {
    const gd = document.querySelector('#plot');
    const bg = (el) => getComputedStyle(el).backgroundColor;
    return {
      theme: document.documentElement.dataset.theme,
      pressed: document.querySelector('#theme').getAttribute('aria-pressed'),
      body: bg(document.body),
      editor: bg(document.querySelector('#editor-model .cm-editor')),
      editorText: getComputedStyle(document.querySelector('#editor-model .cm-content')).color,
      paper: gd._fullLayout.paper_bgcolor,
      font: gd._fullLayout.font.color,
      grid: gd._fullLayout.xaxis.gridcolor,
      colours: gd._fullData.map((d) => d.line?.color).filter(Boolean),
    };
  });
}

test('a dark system gets the dark theme: page, plot, editor and dialogs; the palette stays distinct and visible', async ({
  browser,
}) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const g = guard(page);
  await page.goto('/?model=coupled_spring');
  await ready(page);
  const dark = await looks(page);
  expect(dark.theme).toBe('dark');
  expect(dark.pressed).toBe('true');
  expect(luminance(dark.body)).toBeLessThan(0.05);
  expect(luminance(dark.editor)).toBeLessThan(0.05);
  expect(contrast(dark.editorText, dark.editor)).toBeGreaterThan(7);
  expect(luminance(dark.paper)).toBeLessThan(0.05);
  expect(contrast(dark.font, dark.paper)).toBeGreaterThan(7);
  expect(dark.colours.length).toBeGreaterThanOrEqual(4);
  expect(new Set(dark.colours).size).toBe(dark.colours.length);
  for (const c of dark.colours) expect(contrast(c, dark.paper), `${c} on ${dark.paper}`).toBeGreaterThanOrEqual(3);
  // Hover read-outs and dialogs are dark too.
  await page.click('#share');
  const dialog = await page
    .locator('#share-dialog')
    .evaluate((d) => ({ bg: getComputedStyle(d).backgroundColor, fg: getComputedStyle(d).color }));
  expect(luminance(dialog.bg)).toBeLessThan(0.05);
  expect(contrast(dialog.fg, dialog.bg)).toBeGreaterThan(7);
  await page.keyboard.press('Escape');
  await page.screenshot({ path: 'test-results/screens/theme-dark-1440x900.png' });
  g.check();
  await context.close();
});

test('the toggle overrides the system, is remembered across a reload, and repaints plots and editors', async ({
  browser,
}) => {
  const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const g = guard(page);
  await page.goto('/?model=coupled_spring');
  await ready(page);
  const light = await looks(page);
  expect(light.theme).toBe('light');
  expect(light.pressed).toBe('false');
  expect(luminance(light.paper)).toBeGreaterThan(0.9);
  await page.screenshot({ path: 'test-results/screens/theme-light-1440x900.png' });

  await page.click('#theme');
  await expect.poll(async () => (await looks(page)).paper).not.toBe(light.paper);
  const toggled = await looks(page);
  expect(toggled.theme).toBe('dark');
  expect(luminance(toggled.editor)).toBeLessThan(0.05);
  expect(toggled.grid).not.toBe(light.grid);
  // The palette maps slot for slot: a light-theme black becomes white, and no two curves share a colour.
  expect(new Set(toggled.colours).size).toBe(toggled.colours.length);

  await page.reload();
  await ready(page);
  expect((await looks(page)).theme, 'remembered').toBe('dark');
  await page.click('#theme');
  await page.reload();
  await ready(page);
  expect((await looks(page)).theme).toBe('light');
  g.check();
  await context.close();
});

test('with light chosen, a dark system still shows light', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('/?model=oscillator');
  await ready(page);
  expect((await looks(page)).theme).toBe('dark');
  await page.click('#theme');
  await page.reload();
  await ready(page);
  const shown = await looks(page);
  expect(shown.theme).toBe('light');
  expect(luminance(shown.paper)).toBeGreaterThan(0.9);
  await context.close();
});

for (const colorScheme of ['light', 'dark'])
  test(`the phone layout and the embed in the ${colorScheme} theme (screenshots)`, async ({ browser }) => {
    const context = await browser.newContext({
      colorScheme,
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    const page = await context.newPage();
    const g = guard(page);
    await page.goto('/?model=pendulum');
    await ready(page);
    expect((await looks(page)).theme).toBe(colorScheme);
    await page.screenshot({ path: `test-results/screens/theme-${colorScheme}-390x844.png` });
    await page.setViewportSize({ width: 600, height: 400 });
    await page.goto('/?model=pendulum&embed=1');
    await expect(page.locator('body')).toHaveAttribute('data-state', /drawn|ready/);
    await expect
      .poll(() => page.evaluate(() => document.querySelector('#plot')._fullLayout?.paper_bgcolor))
      .toBe(colorScheme === 'dark' ? '#1b1f24' : '#ffffff');
    await page.screenshot({ path: `test-results/screens/theme-${colorScheme}-embed-600x400.png` });
    g.check();
    await context.close();
  });
