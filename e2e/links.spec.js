// Links (issue 12): a damaged link says what is wrong, in words, and stays said after the next solve; a second link
// pasted into an open tab opens (as a new saved copy); the address keeps the link (bookmarkable, and a reload does
// not make a second copy); Share reports what the clipboard really did and shows the link to copy by hand; the view
// (tab, variables, phase portrait, zoom) travels with the link.
import { test, expect } from '@playwright/test';
import zlib from 'node:zlib';
import { guard, origin, pickModel, ready, savedState } from './support.js';

/// A link the way the workbench makes one, from a state object (deflate-raw, base64url, its length first).
function linkOf(state) {
  const data = zlib.deflateRawSync(Buffer.from(JSON.stringify(state))).toString('base64url');
  return `/#n=${data.length}&s=${data}`;
}

async function shareLink(page) {
  await page.click('#share');
  await expect(page.locator('#share')).toHaveAttribute('data-url', /#n=\d+&h=[0-9a-f]{8}&s=/);
  const url = await page.locator('#share').getAttribute('data-url');
  await page.click('#share-dialog .close');
  return url;
}

async function linkFor(browser, model, act = async () => {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await ready(page);
  await pickModel(page, model);
  await act(page);
  const url = await shareLink(page);
  await context.close();
  return url;
}

test('a link cut short, one altered, and one from another version each say so, and the solve does not hide it', async ({
  page,
  browser,
}) => {
  const url = await linkFor(browser, 'lorenz');
  const [, data] = /&s=(.*)$/.exec(url);
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'pendulum');

  const cut = url.slice(0, url.length - Math.floor(data.length / 2));
  await page.goto(cut);
  await ready(page);
  const banner = page.locator('#link-error');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('cut short');
  await expect(banner).toContainText(`of its ${data.length} characters`);
  await expect(page.locator('#model-name')).toHaveText('pendulum'); // the student's own work, unchanged
  await page.click('#run');
  await ready(page);
  await expect(banner).toContainText('cut short'); // still there after a solve

  // Same length, other characters in the middle: damaged.
  const middle = Math.floor(data.length / 2);
  const altered = data.slice(0, middle) + (data[middle] === 'A' ? 'B' : 'A').repeat(8) + data.slice(middle + 8);
  await page.goto(url.replace(data, altered));
  await expect(banner).toContainText('damaged');
  await page.goto(url.replace(data, `${data.slice(0, 10)}!${data.slice(11)}`));
  await expect(banner).toContainText('characters a workbench link never has');

  // A link from a newer workbench.
  const saved = await savedState(page);
  await page.goto(linkOf({ ...saved, v: 2 }));
  await expect(banner).toContainText('newer version of the workbench');
  await expect(banner).toContainText('link format 2');
  await page.reload();
  await ready(page);
  await expect(page.locator('#model-name')).toHaveText('pendulum');
  await expect(banner).toContainText('newer version');
  await page.click('#link-error-close');
  await expect(banner).toBeHidden();
  g.check();
});

test('a second link pasted into an open tab opens as a new copy, and the address keeps it', async ({
  page,
  browser,
}) => {
  const lorenz = await linkFor(browser, 'lorenz');
  const pendulum = await linkFor(browser, 'pendulum', async (p) => {
    await p.locator('.param[data-key="pendulum.pendulum.L"] input[type="number"]').fill('2');
    await p.locator('.param[data-key="pendulum.pendulum.L"] input[type="number"]').press('Enter');
    await expect(p.locator('.param[data-key="pendulum.pendulum.L"]')).toHaveClass(/changed/);
  });
  const g = guard(page);
  await page.goto(lorenz);
  await ready(page);
  await expect(page.locator('#model-name')).toHaveText('lorenz');
  expect(page.url()).toBe(lorenz); // bookmarkable
  // Pasting the second link into the address bar of the open tab: only the hash changes.
  await page.evaluate((hash) => (location.hash = hash), new URL(pendulum).hash);
  await expect(page.locator('#model-name')).toHaveText('pendulum');
  await ready(page);
  await expect(page.locator('.param[data-key="pendulum.pendulum.L"] input[type="number"]')).toHaveValue('2');
  await expect(page.locator('#notice')).toContainText('new copy');
  // A reload of the bookmark comes back to the same copy, not a new one each time.
  await page.reload();
  await ready(page);
  await expect(page.locator('#model-name')).toHaveText('pendulum');
  await page.click('#works-button');
  await expect(page.locator('#works-list .work')).toHaveCount(2);
  await expect(page.locator('#works-list .work[data-model="lorenz"]')).toContainText('opened from a link');
  g.check();
});

test('Share says the link was copied only when it was, and shows it to copy by hand', async ({ page, context }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: origin.replace(/\/$/, '') });
  await page.click('#share');
  await expect(page.locator('#share-status')).toHaveText(/copied to the clipboard/);
  const url = await page.locator('#share-link').inputValue();
  expect(url).toMatch(/#n=\d+&h=[0-9a-f]{8}&s=/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  expect(page.url()).toBe(url);
  await expect(page.locator('#share-embed')).toHaveValue(/<iframe src="[^"]*embed=1[^"]*" width="600" height="400"/);
  await page.click('#share-dialog .close');
  g.check();
});

test('a browser that refuses the clipboard gets the link selected to copy, not a false "copied"', async ({ page }) => {
  // What a browser without clipboard permission does: writeText rejects.
  await page.addInitScript(() => {
    navigator.clipboard.writeText = () =>
      Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  await page.goto('/');
  await ready(page);
  await page.click('#share');
  await expect(page.locator('#share-status')).toContainText('did not let the page copy');
  await expect(page.locator('#share-status')).not.toContainText('copied to');
  await expect(page.locator('#share-link')).toBeVisible();
  expect(
    await page.evaluate(() => [
      document.activeElement.id,
      getSelection().toString() ||
        document.activeElement.value.slice(document.activeElement.selectionStart, document.activeElement.selectionEnd),
    ]),
  ).toEqual(['share-link', await page.locator('#share-link').inputValue()]);
  await page.keyboard.press('Escape');
  await expect(page.locator('#share-dialog')).toBeHidden();
});

test('the link carries the view: the phase portrait chosen and the zoom', async ({ page, browser }) => {
  let sent;
  const url = await linkFor(browser, 'lorenz', async (p) => {
    await p.selectOption('#phase-x', 'lorenz.lorenz.x');
    await p.selectOption('#phase-y', 'lorenz.lorenz.z');
    await expect
      .poll(() => p.evaluate(() => document.querySelector('#plot').layout.xaxis.title.text))
      .toMatch(/^lorenz\.lorenz\.x/);
    // Zoom with the mouse, as a user does: a drag across the middle of the plot.
    const box = await p.locator('#plot .nsewdrag').first().boundingBox();
    await p.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await p.mouse.down();
    await p.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 8 });
    await p.mouse.up();
    await expect.poll(async () => (await savedState(p)).view.ranges?.mode).toBe('phase');
    sent = (await savedState(p)).view.ranges.axes;
  });
  const g = guard(page);
  await page.goto(url);
  await ready(page);
  await expect(page.locator('#phase-x')).toHaveValue('lorenz.lorenz.x');
  await expect(page.locator('#phase-y')).toHaveValue('lorenz.lorenz.z');
  const layout = await page.evaluate(() => {
    const l = document.querySelector('#plot').layout;
    return { x: l.xaxis.range, y: l.yaxis.range, title: l.yaxis.title.text };
  });
  expect(layout.title).toMatch(/^lorenz\.lorenz\.z/);
  expect(layout.x[0]).toBeCloseTo(sent.xaxis[0], 6);
  expect(layout.x[1]).toBeCloseTo(sent.xaxis[1], 6);
  expect(layout.y[0]).toBeCloseTo(sent.yaxis[0], 6);
  g.check();
});
