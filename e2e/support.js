// Helpers for the browser tests: reading Plotly figures back from the page, driving the CodeMirror editors, and
// collecting measurements as test annotations.
import { expect } from '@playwright/test';
import fs from 'node:fs';

import { origin } from './port.js';

export { origin };

/// Fails the test on requests to other origins and on console errors.
export function guard(page) {
  const external = [];
  const errors = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) external.push(url);
  });
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    check() {
      expect(external, 'requests to other origins').toEqual([]);
      expect(errors, 'console errors').toEqual([]);
    },
  };
}

export async function ready(page) {
  await expect(page.locator('body')).toHaveAttribute('data-state', 'ready');
}

export async function traces(page, selector = '#plot') {
  return page.evaluate(
    (sel) =>
      (document.querySelector(sel).data ?? []).map((d) => ({
        name: d.name,
        x: d.x ? Array.from(d.x) : [],
        y: d.y ? Array.from(d.y) : [],
        mode: d.mode,
        type: d.type,
      })),
    selector,
  );
}

/// Replaces an editor's text (what a user does with select-all and paste).
export async function setEditor(page, which, text) {
  const content = page.locator(`#editor-${which} .cm-content`);
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.evaluate(
    ([sel, t]) => {
      const el = document.querySelector(sel);
      el.focus();
      const data = new DataTransfer();
      data.setData('text/plain', t);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    [`#editor-${which} .cm-content`, text],
  );
}

export async function editorText(page, which) {
  return page.evaluate(
    (w) => [...document.querySelectorAll(`#editor-${w} .cm-line`)].map((l) => l.textContent).join('\n'),
    which,
  );
}

export async function pickModel(page, name) {
  await page.click('#gallery-button');
  await page.click(`#gallery .card[data-model="${name}"]`);
  await expect(page.locator('#model-name')).toHaveText(name);
  await ready(page);
}

/// The autosaved state of the save the page shows, once it holds `model` (saving is debounced, so a gallery pick takes a moment to land).
export async function savedState(page, model) {
  const read = () =>
    page.evaluate(() => {
      const id = JSON.parse(localStorage.getItem('numen.current.v2'));
      return id ? JSON.parse(localStorage.getItem(`numen.work.v2.${id}`)) : null;
    });
  if (model) await expect.poll(async () => (await read())?.model.name).toBe(model);
  return read();
}

/// Opens the Sweep tab set up for 12 runs of the fluid poppet over its spring rate k = 3000 ... 8000 N/m.
export async function setUpPoppetSweep(page) {
  await page.goto('/');
  await ready(page);
  await page.click('.view-tab[data-tab="sweep"]');
  await page.selectOption('#sweep-param', 'valve.poppet.k');
  await page.fill('#sweep-from', '3000');
  await page.fill('#sweep-to', '8000');
  await page.fill('#sweep-count', '12');
}

/// A measurement: attached to the test report and appended to test-results/measurements.jsonl for the record.
export function annotate(name, value) {
  fs.mkdirSync('test-results', { recursive: true });
  fs.appendFileSync('test-results/measurements.jsonl', `${JSON.stringify({ name, value: String(value) })}\n`);
  return { type: name, description: String(value) };
}

export const oscillatorX = (t, zeta = 0.05, omega = 2 * Math.PI) => {
  const wd = omega * Math.sqrt(1 - zeta * zeta);
  return Math.exp(-zeta * omega * t) * (Math.cos(wd * t) + (zeta / Math.sqrt(1 - zeta * zeta)) * Math.sin(wd * t));
};
