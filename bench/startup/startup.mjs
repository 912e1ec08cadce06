// Cold start of the workbench (issues 12 and 16): navigation to the first plot, measured in Debian's Chromium against
// the production build served as `npm start` serves it (`vite preview` with web/vite.config.js). Not a test: it prints
// figures (and appends them to test-results/measurements.jsonl); bench/README.md records them with this command.
//
//   node bench/startup/startup.mjs [--runs N] [--port P] [--no-build]
//
// Profiles: desktop (1440x900, no throttling) and phone (390x844, touch, 4x CPU throttling of the page through the
// Chrome DevTools Protocol, Emulation.setCPUThrottlingRate). Every load is cold: a new browser context (no HTTP cache,
// no service worker, empty storage). "First plot" is the page's own mark, numen:first-plot (web/src/main.js), set once
// the first solution is drawn; the script also reports when the plot's SVG first appeared, the page's long tasks, and
// the bytes transferred.
import { chromium } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option('--runs', 7));
const port = Number(option('--port', 4181));
const origin = `http://127.0.0.1:${port}/`;

if (!args.includes('--no-build')) {
  const built = spawnSync('bash', ['scripts/build.sh', 'web'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

// The server `npm start` runs (scripts/start.sh), on a port of its own.
const server = spawn('npx', ['vite', 'preview', '--config', 'web/vite.config.js', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
const stopServer = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {}
};
process.on('exit', stopServer);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

async function waitForServer() {
  for (let i = 0; i < 200; ++i) {
    try {
      if ((await fetch(origin)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the preview server did not answer at ${origin}`);
}

const profiles = {
  desktop: { viewport: { width: 1440, height: 900 }, throttle: 1 },
  phone: { viewport: { width: 390, height: 844 }, throttle: 4, hasTouch: true, isMobile: true, deviceScaleFactor: 3 },
};

async function coldLoad(browser, profile) {
  const context = await browser.newContext({ viewport: profile.viewport, hasTouch: profile.hasTouch, isMobile: profile.isMobile, deviceScaleFactor: profile.deviceScaleFactor, serviceWorkers: 'block' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  const encodings = {};
  cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
  cdp.on('Network.responseReceived', (e) => {
    const file = e.response.url.split('/').pop();
    encodings[file] = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? 'identity';
  });
  if (profile.throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.throttle });
  await page.addInitScript(() => {
    window.__longTasks = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks += e.duration;
    }).observe({ type: 'longtask', buffered: true });
    new MutationObserver((_, observer) => {
      if (document.querySelector('#plot .main-svg')) {
        performance.mark('bench:plot-svg');
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(origin);
  await page.waitForFunction(() => performance.getEntriesByName('numen:first-plot').length > 0, null, { timeout: 120_000 });
  const marks = await page.evaluate(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
    return { firstPlot: at('numen:first-plot'), svg: at('bench:plot-svg'), coreReady: at('numen:core-ready'), longTasks: window.__longTasks };
  });
  await context.close();
  return { ...marks, bytes, encodings };
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

await waitForServer();
const browser = await chromium.launch({
  executablePath: process.env.NUMEN_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const lines = [];
try {
  await coldLoad(browser, profiles.desktop); // warms the server and the OS file cache; not counted
  for (const [name, profile] of Object.entries(profiles)) {
    const samples = [];
    for (let i = 0; i < runs; ++i) samples.push(await coldLoad(browser, profile));
    const firstPlot = samples.map((s) => s.firstPlot);
    const line = {
      name: `cold start, ${name} profile`,
      first_plot_median_ms: Math.round(median(firstPlot)),
      first_plot_ms: firstPlot.map(Math.round),
      core_ready_median_ms: Math.round(median(samples.map((s) => s.coreReady))),
      long_tasks_median_ms: Math.round(median(samples.map((s) => s.longTasks))),
      transferred_kB: Math.round(samples[0].bytes / 1000),
      encodings: samples[0].encodings,
    };
    lines.push(line);
    console.log(`${line.name}: first plot median ${line.first_plot_median_ms} ms of ${runs} cold loads (${line.first_plot_ms.join(', ')}); core ready ${line.core_ready_median_ms} ms; long tasks ${line.long_tasks_median_ms} ms; ${line.transferred_kB} kB transferred`);
  }
  console.log('content encodings:', JSON.stringify(lines[0].encodings));
  fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
  for (const line of lines) fs.appendFileSync(path.join(root, 'test-results/measurements.jsonl'), `${JSON.stringify(line)}\n`);
} finally {
  await browser.close();
  stopServer();
}
