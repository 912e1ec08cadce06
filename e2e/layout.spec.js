// Layouts (issue 12): a phone (390x844: the page scrolls, the plot fits on screen whole, controls a finger can hit),
// a projector (1024x768: the plot keeps its width), a laptop (1440x900); Present mode with large type on the plot
// itself; and the embed a course page puts in a 600x400 iframe, made from the Share dialog's snippet. Screenshots
// of each go to test-results/screens/.
import { test, expect } from '@playwright/test';
import { guard, origin, pickModel, ready, traces } from './support.js';

const shot = (page, name) => page.screenshot({ path: `test-results/screens/${name}.png` });

const sizes = [
  { name: 'phone', width: 390, height: 844, plotWidth: 350 },
  { name: 'projector', width: 1024, height: 768, plotWidth: 400 },
  { name: 'laptop', width: 1440, height: 900, plotWidth: 550 },
];

for (const size of sizes) {
  test(`at ${size.width}x${size.height} (${size.name}) the plot is wide, wholly on screen, and nothing overflows`, async ({
    browser,
  }) => {
    const context = await browser.newContext({
      viewport: { width: size.width, height: size.height },
      hasTouch: size.name === 'phone',
    });
    const page = await context.newPage();
    const g = guard(page);
    await page.goto('/?model=pendulum');
    await ready(page);
    const plot = page.locator('#plot');
    await plot.scrollIntoViewIfNeeded();
    const box = await plot.boundingBox();
    expect(box.width, 'plot width').toBeGreaterThanOrEqual(size.plotWidth);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y, 'plot top on screen').toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(size.width);
    // Scroll positions are whole pixels while layout is fractional (the bar is 256.67 px tall on a phone): the
    // scroll that brings the plot's bottom into view can leave it up to one pixel below the edge.
    expect(box.y + box.height, 'plot bottom on screen').toBeLessThanOrEqual(size.height + 1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(0);
    // A slider is reachable and works.
    const slider = page.locator('.param[data-key="pendulum.pendulum.L"] input[type="range"]');
    await slider.scrollIntoViewIfNeeded();
    await expect(slider).toBeInViewport();
    if (size.name === 'phone') {
      // The page itself scrolls (no inner scroll area trapping the results).
      expect(await page.evaluate(() => document.scrollingElement.scrollHeight > window.innerHeight)).toBe(true);
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      // Every control a finger uses is at least 40 px tall.
      const small = await page.evaluate(() =>
        [
          ...document.querySelectorAll(
            '.bar button, .bar select, .bar input, .bar summary, .params button, .params input, .plot-options select, .plot-options summary, .tabs button',
          ),
        ]
          .filter((el) => el.offsetParent !== null)
          .map((el) => [
            el.id || el.getAttribute('aria-label') || el.textContent.trim(),
            el.getBoundingClientRect().height,
          ])
          .filter(([, h]) => h < 40),
      );
      expect(small, 'controls under 40 px').toEqual([]);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, `layout-${size.width}x${size.height}`);
    g.check();
    await context.close();
  });
}

test('Present mode puts large type on the plot itself: ticks, legend and axis titles', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const g = guard(page);
  await page.goto('/?model=oscillator');
  await ready(page);
  const sizes = () =>
    page.evaluate(() => {
      const px = (sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
      return { tick: px('#plot .xtick text'), legend: px('#plot .legendtext'), title: px('#plot .xtitle') };
    });
  const before = await sizes();
  expect(before.tick).toBeLessThan(14);
  await page.click('#present');
  await expect.poll(async () => (await sizes()).tick).toBeGreaterThanOrEqual(18);
  const after = await sizes();
  expect(after.legend).toBeGreaterThanOrEqual(18);
  expect(after.title).toBeGreaterThanOrEqual(20);
  const box = await page.locator('#plot').boundingBox();
  expect(box.width).toBeGreaterThan(900);
  await shot(page, 'present-1024x768');
  // A new run keeps the large type.
  await page.keyboard.press('Control+Enter');
  await ready(page);
  expect((await sizes()).tick).toBeGreaterThanOrEqual(18);
  await page.click('#present');
  await expect.poll(async () => (await sizes()).tick).toBeLessThan(14);
  g.check();
  await context.close();
});

test("the Share dialog's iframe snippet shows the plot and the chosen sliders in 600x400, and the sliders work", async ({
  page,
  browser,
}) => {
  // The teacher changes L and copies the embed code from Share.
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await teacher.goto('/');
  await ready(teacher);
  await pickModel(teacher, 'pendulum');
  const L = teacher.locator('.param[data-key="pendulum.pendulum.L"] input[type="number"]');
  await L.fill('1.5');
  await L.press('Enter');
  await expect(teacher.locator('.param[data-key="pendulum.pendulum.L"]')).toHaveClass(/changed/);
  await teacher.click('#share');
  await expect(teacher.locator('#share-embed')).toHaveValue(/<iframe/);
  const snippet = await teacher.locator('#share-embed').inputValue();
  await teacherContext.close();
  const at = origin.replace(/[./]/g, (c) => `\\${c}`);
  expect(snippet).toMatch(
    new RegExp(`^<iframe src="${at}\\?embed=1#n=\\d+&amp;h=[0-9a-f]{8}&amp;s=[\\w-]+" width="600" height="400"`),
  );

  // The course page.
  const g = guard(page);
  await page.setViewportSize({ width: 900, height: 560 });
  await page.setContent(
    `<!doctype html><html><body style="margin:20px"><h1>Week 3: the pendulum</h1>${snippet}</body></html>`,
  );
  const frameElement = page.locator('iframe');
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('body')).toHaveAttribute('data-state', 'ready');
  const outer = await frameElement.boundingBox();
  const inside = async (locator) => {
    const b = await locator.boundingBox();
    return (
      b &&
      b.x >= outer.x - 0.5 &&
      b.y >= outer.y - 0.5 &&
      b.x + b.width <= outer.x + outer.width + 0.5 &&
      b.y + b.height <= outer.y + outer.height + 0.5
    );
  };
  await expect(frame.locator('#editor-model')).toBeHidden();
  await expect(frame.locator('.bar')).toBeHidden();
  const plot = frame.locator('#plot');
  expect(await inside(plot), 'the plot is wholly inside the iframe').toBe(true);
  expect((await plot.boundingBox()).width).toBeGreaterThan(330);
  expect((await plot.boundingBox()).height).toBeGreaterThan(300);
  const sliderRow = frame.locator('.param[data-key="pendulum.pendulum.L"]');
  await expect(sliderRow.locator('input[type="number"]')).toHaveValue('1.5');
  expect(await inside(sliderRow), "the link's slider is wholly inside the iframe").toBe(true);
  expect(await frame.locator('.param').count()).toBe(1);
  // The student moves the slider: the plot re-solves.
  const before = await plot.evaluate(
    (el) => el.data.find((d) => d.name.startsWith('pendulum.pendulum.theta') && !d.name.includes('previous')).y[300],
  );
  await sliderRow.locator('input[type="range"]').fill('900');
  await expect
    .poll(() =>
      plot.evaluate(
        (el) =>
          el.data.find((d) => d.name.startsWith('pendulum.pendulum.theta') && !d.name.includes('previous')).y[300],
      ),
    )
    .not.toBe(before);
  await expect(frame.locator('#embed-open')).toBeVisible();
  await frameElement.screenshot({ path: 'test-results/screens/embed-600x400.png' });
  await shot(page, 'embed-course-page');
  // The embed needs no storage: here (an about:blank page framing the site) the browser denies it to the frame.
  expect(
    await frame.locator('body').evaluate(() => {
      try {
        return localStorage.length >= 0;
      } catch {
        return 'denied';
      }
    }),
  ).toBe('denied');
  g.check();
});
