// Students' work is never lost (issue 12): opening a link or another gallery model keeps every earlier edit, each
// model has its own save, a link opens as a new saved copy, My work lists and restores earlier work, parameter
// changes undo and redo, and the single save of earlier versions is migrated.
import { test, expect } from '@playwright/test';
import { guard, pickModel, ready, savedState, setEditor, traces } from './support.js';

/// What the model editor holds: its first line on screen, and the whole text as autosaved from it.
async function expectModelText(page, text) {
  await expect(page.locator('#editor-model .cm-line').first()).toHaveText(text.split('\n')[0]);
  await expect.poll(async () => (await savedState(page)).model.text).toBe(text);
}

const paramField = (page, key) => page.locator(`.param[data-key="${key}"] input[type="number"]`);

async function setParam(page, key, value) {
  await paramField(page, key).fill(String(value));
  await paramField(page, key).press('Enter');
}

/// The pendulum with its length edited in the text, as a student would leave it.
async function editPendulum(page) {
  await pickModel(page, 'pendulum');
  const text = (await savedState(page, 'pendulum')).model.text;
  const edited = `# my pendulum, edited\n${text}`;
  await setEditor(page, 'model', edited);
  await expect.poll(async () => (await savedState(page)).model.text).toBe(edited);
  return edited;
}

test("a teacher's link opens as a new copy and the student's edited pendulum is still there", async ({
  page,
  browser,
}) => {
  const g = guard(page);
  // The teacher: Lorenz with a changed parameter, shared.
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await teacher.goto('/');
  await ready(teacher);
  await pickModel(teacher, 'lorenz');
  await teacher.click('#share');
  await expect(teacher.locator('#share')).toHaveAttribute('data-url', /#n=\d+&h=[0-9a-f]{8}&s=/);
  const link = await teacher.locator('#share').getAttribute('data-url');
  await teacherContext.close();

  // The student edits the pendulum, then opens the teacher's link in the same browser.
  await page.goto('/');
  await ready(page);
  const edited = await editPendulum(page);
  await page.goto(link);
  await ready(page);
  await expect(page.locator('#model-name')).toHaveText('lorenz');
  await expect(page.locator('#notice')).toContainText('Opened the link as a new copy');
  await expect(page.locator('#notice')).toContainText('your other work is unchanged');
  // The pendulum is in My work, edits and all.
  await page.click('#works-button');
  const pendulum = page.locator('#works-list .work[data-model="pendulum"]');
  await expect(pendulum).toHaveCount(1);
  await expect(page.locator('#works-list .work[data-model="lorenz"]')).toContainText('opened from a link');
  await pendulum.locator('.work-open').click();
  await ready(page);
  await expect(page.locator('#model-name')).toHaveText('pendulum');
  await expectModelText(page, edited);
  // The gallery keeps it too: picking the pendulum again opens the edited one.
  await pickModel(page, 'lorenz');
  await pickModel(page, 'pendulum');
  await expectModelText(page, edited);
  g.check();
});

test('each gallery model keeps its edits, and "start again from the original" leaves them in My work', async ({
  page,
}) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  const edited = await editPendulum(page);
  await pickModel(page, 'oscillator');
  await setParam(page, 'osc.oscillator.zeta', 0.3);
  await expect.poll(async () => (await savedState(page)).overrides).toEqual({ 'osc.oscillator.zeta': 0.3 });
  await pickModel(page, 'pendulum');
  await expectModelText(page, edited);
  await pickModel(page, 'oscillator');
  await expect(paramField(page, 'osc.oscillator.zeta')).toHaveValue('0.3');
  // The original, as published, in a new save.
  await page.click('#gallery-button');
  await expect(page.locator('#gallery .card-original[data-model="pendulum"]')).toBeVisible();
  await page.click('#gallery .card-original[data-model="pendulum"]');
  await ready(page);
  await expect(page.locator('#editor-model .cm-line').first()).not.toHaveText('# my pendulum, edited');
  await page.click('#works-button');
  await expect(page.locator('#works-list .work[data-model="pendulum"]')).toHaveCount(2);
  g.check();
});

test('a named copy restores earlier work, and a reload comes back to what was shown', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  await setParam(page, 'osc.oscillator.zeta', 0.2);
  await page.click('#works-button');
  await page.fill('#keep-copy-name', 'zeta 0.2 for the lab');
  await page.click('#keep-copy button[type="submit"]');
  await expect(page.locator('#works-list .work', { hasText: 'zeta 0.2 for the lab' })).toContainText('kept copy');
  await page.click('#works .close');
  await setParam(page, 'osc.oscillator.zeta', 0.7);
  await expect.poll(async () => (await savedState(page)).overrides).toEqual({ 'osc.oscillator.zeta': 0.7 });
  await page.reload();
  await ready(page);
  await expect(paramField(page, 'osc.oscillator.zeta')).toHaveValue('0.7');
  await page.click('#works-button');
  await page.locator('#works-list .work', { hasText: 'zeta 0.2 for the lab' }).locator('.work-open').click();
  await ready(page);
  await expect(paramField(page, 'osc.oscillator.zeta')).toHaveValue('0.2');
  g.check();
});

test('parameter changes undo and redo, a slider drag as one step', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  await pickModel(page, 'oscillator');
  const x = async () =>
    (await traces(page)).find((t) => t.name.startsWith('osc.oscillator.x') && !t.name.includes('previous')).y[200];
  const original = await x();
  await expect(page.locator('#param-undo')).toBeDisabled();
  await setParam(page, 'osc.oscillator.zeta', 0.4);
  const slider = page.locator('.param[data-key="osc.oscillator.omega"] input[type="range"]');
  for (const v of ['600', '650', '700']) await slider.fill(v);
  await expect.poll(async () => (await savedState(page)).overrides['osc.oscillator.omega']).toBeGreaterThan(0);
  const dragged = (await savedState(page)).overrides['osc.oscillator.omega'];
  await page.click('#param-undo'); // the whole drag
  await expect.poll(async () => (await savedState(page)).overrides).toEqual({ 'osc.oscillator.zeta': 0.4 });
  await page.click('#param-undo');
  await expect.poll(async () => (await savedState(page)).overrides).toEqual({});
  await expect(paramField(page, 'osc.oscillator.zeta')).toHaveValue('0.05');
  await expect.poll(x).toBeCloseTo(original, 9);
  await expect(page.locator('#param-undo')).toBeDisabled();
  await page.click('#param-redo');
  await page.click('#param-redo');
  await expect
    .poll(async () => (await savedState(page)).overrides)
    .toEqual({ 'osc.oscillator.zeta': 0.4, 'osc.oscillator.omega': dragged });
  await expect(paramField(page, 'osc.oscillator.zeta')).toHaveValue('0.4');
  g.check();
});

test('the single save of earlier versions becomes a save in My work, nothing lost', async ({ page }) => {
  const g = guard(page);
  await page.goto('/');
  await ready(page);
  const text = (await savedState(page)).model.text;
  const legacy = {
    v: 1,
    model: { name: 'fluid_poppet', file: 'fluid_poppet.yaml', text: `# my old edit\n${text}` },
    plan: { text: '', file: 'plan.yaml' },
    settings: { method: '', rtol: '', atol: '', t_end: '' },
    overrides: { 'valve.poppet.k': 6000 },
    view: { tab: 'simulation', editor: 'model', keys: null, presentation: false, compare: true },
  };
  // A browser that only ever ran the earlier version: just the old key.
  await page.evaluate((l) => {
    localStorage.clear();
    localStorage.setItem('numen.workbench.v1', JSON.stringify(l));
  }, legacy);
  await page.reload();
  await ready(page);
  await expectModelText(page, legacy.model.text);
  await expect(paramField(page, 'valve.poppet.k')).toHaveValue('6000');
  // The old key is left as it was.
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('numen.workbench.v1')))).toEqual(legacy);
  await page.click('#works-button');
  await expect(page.locator('#works-list .work[data-model="fluid_poppet"]')).toHaveCount(1);
  g.check();
});
