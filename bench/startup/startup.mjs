// Cold start of the workbench (issues 12 and 16): navigation to the first plot, measured in Debian's Chromium against
// the production build served as `npm start` serves it (`vite preview` with web/vite.config.js). Not a test: it prints
// figures (and appends them to test-results/measurements.jsonl); bench/README.md records them with this command.
//
//   node bench/startup/startup.mjs [--runs N] [--port P] [--no-build] [--baseline GIT-REF]
//
// With --baseline, the site of another commit (e.g. main) is built from `git archive` into build/bench-startup/ and
// served beside this one; cold loads alternate between the two, so both medians and their ratio come from one run on
// the same (shared, noisy) machine.
//
// Service workers are allowed, as for a first visit (each context starts without one).
// Profiles: desktop (1440x900, no throttling) and phone (390x844, touch, 4x CPU throttling of the page through the
// Chrome DevTools Protocol, Emulation.setCPUThrottlingRate). Every load is cold: a new browser context (no HTTP cache,
// no service worker, empty storage). "First plot" is the page's own mark, numen:first-plot (web/src/main.js), set once
// the first solution is drawn by Plotly (interactive); numen:plot-preview, where the page has it, is when a static
// drawing of the same solution appeared, before Plotly had loaded. Also reported: when the core was ready, the page's
// long tasks, the bytes the page itself transferred (the worker's wasm is not counted) and their encodings.
import { chromium } from '@playwright/test';
import { launchOptions } from '../../e2e/chromium.js';
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
const baseline = option('--baseline', null);

if (!args.includes('--no-build')) {
  const built = spawnSync('bash', ['scripts/build.sh', 'web'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/// Another commit's web/ beside links to this checkout's models, schemas and wasm build, built there; with this
/// checkout's packages when its package-lock.json is the same, else with its own (npm ci).
function buildBaseline(ref) {
  const dir = path.join(root, 'build/bench-startup', ref.replace(/[^A-Za-z0-9._-]/g, '_'));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const archive = spawnSync(
    'bash',
    ['-c', `git archive ${JSON.stringify(ref)} web package.json package-lock.json | tar -x -C ${JSON.stringify(dir)}`],
    { cwd: root, stdio: 'inherit' },
  );
  if (archive.status !== 0) throw new Error(`could not export ${ref}`);
  for (const name of ['models', 'schemas', 'build']) fs.symlinkSync(path.join(root, name), path.join(dir, name));
  const lock = (d) => fs.readFileSync(path.join(d, 'package-lock.json'), 'utf8');
  if (lock(dir) === lock(root)) fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  else if (spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' }).status !== 0)
    throw new Error(`could not install ${ref}'s packages`);
  const built = spawnSync(
    'npx',
    ['vite', 'build', '--config', path.join(dir, 'web/vite.config.js'), '--logLevel', 'warn'],
    { cwd: dir, stdio: 'inherit' },
  );
  if (built.status !== 0) throw new Error(`could not build ${ref}`);
  return dir;
}

const servers = [];
/// The server `npm start` runs (scripts/start.sh) for the checkout at `dir`, on a port of its own.
function serve(dir, at) {
  const server = spawn(
    'npx',
    ['vite', 'preview', '--config', 'web/vite.config.js', '--port', String(at), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    },
  );
  servers.push(server);
  return `http://127.0.0.1:${at}/`;
}
const stopServers = () => {
  for (const server of servers)
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {}
};
process.on('exit', stopServers);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const variants = [{ name: 'this checkout', origin: serve(root, port) }];
if (baseline) variants.unshift({ name: baseline, origin: serve(buildBaseline(baseline), port + 1) });

async function waitForServer(origin) {
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

async function coldLoad(browser, profile, origin) {
  const context = await browser.newContext({
    viewport: profile.viewport,
    hasTouch: profile.hasTouch,
    isMobile: profile.isMobile,
    deviceScaleFactor: profile.deviceScaleFactor,
  });
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
  });
  await page.goto(origin);
  await page.waitForFunction(() => performance.getEntriesByName('numen:first-plot').length > 0, null, {
    timeout: 120_000,
  });
  const marks = await page.evaluate(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
    return {
      firstPlot: at('numen:first-plot'),
      preview: at('numen:plot-preview'),
      coreReady: at('numen:core-ready'),
      longTasks: window.__longTasks,
    };
  });
  await context.close();
  return { ...marks, bytes, encodings };
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

for (const v of variants) await waitForServer(v.origin);
const browser = await chromium.launch(launchOptions);
const lines = [];
try {
  for (const v of variants) await coldLoad(browser, profiles.desktop, v.origin); // warms servers and file caches
  for (const [name, profile] of Object.entries(profiles)) {
    const all = variants.map(() => []);
    for (let i = 0; i < runs; ++i) variants.forEach((v, k) => all[k].push(null)); // placeholders, filled below
    for (let i = 0; i < runs; ++i)
      for (let k = 0; k < variants.length; ++k) all[k][i] = await coldLoad(browser, profile, variants[k].origin);
    variants.forEach((v, k) => {
      const samples = all[k];
      const firstPlot = samples.map((s) => s.firstPlot);
      const line = {
        name: `cold start, ${name} profile, ${v.name}`,
        first_plot_median_ms: Math.round(median(firstPlot)),
        first_plot_ms: firstPlot.map(Math.round),
        core_ready_median_ms: Math.round(median(samples.map((s) => s.coreReady))),
        // The static drawing of the first solution shown while Plotly loads (null: the build has none, or Plotly won).
        preview_median_ms: samples.some((s) => s.preview !== null)
          ? Math.round(median(samples.map((s) => s.preview ?? s.firstPlot)))
          : null,
        long_tasks_median_ms: Math.round(median(samples.map((s) => s.longTasks))),
        transferred_kB: Math.round(samples[0].bytes / 1000),
        encodings: samples[0].encodings,
      };
      lines.push(line);
      console.log(
        `${line.name}: first plot median ${line.first_plot_median_ms} ms of ${runs} cold loads (${line.first_plot_ms.join(', ')}); ${line.preview_median_ms !== null ? `plot drawn (static, before Plotly) ${line.preview_median_ms} ms; ` : ''}core ready ${line.core_ready_median_ms} ms; long tasks ${line.long_tasks_median_ms} ms; ${line.transferred_kB} kB transferred by the page`,
      );
    });
    if (variants.length === 2) {
      const [a, b] = lines.slice(-2);
      console.log(
        `  ${name}: this checkout / ${baseline} = ${(b.first_plot_median_ms / a.first_plot_median_ms).toFixed(2)}`,
      );
    }
  }
  console.log('content encodings (this checkout):', JSON.stringify(lines.at(-1).encodings));
  fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
  for (const line of lines)
    fs.appendFileSync(path.join(root, 'test-results/measurements.jsonl'), `${JSON.stringify(line)}\n`);
} finally {
  await browser.close();
  stopServers();
}
