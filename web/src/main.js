// The workbench page: editors, parameters, runs, sweeps and plans. All computing happens in workers (one core for
// single solves, one for checking as you type, a pool for sweeps and plans); this module wires the page to them.
import { CoreService } from './core/client.js';
import { Type } from './core/protocol.js';
import { WorkerPool } from './core/pool.js';
import { LazyEditor } from './ui/lazy-editor.js';
import { defaultModelName, findModel, models, planFor } from './models.js';
import * as store from './app/state.js';
import { History, MemoryStorage, WorkStore, digest } from './app/works.js';
import { Store } from './app/store.js';
import { download, downloadPlot } from './app/export.js';
import { coherentSet } from './app/units.js';
import { isPlaceholderPlan, starterPlan } from './app/starter.js';
import { libraryCompletions, usedLibraries } from './app/libraries.js';
import { fullUrl, readLocation, withoutTarget } from './app/location.js';
import { ParamsPanel } from './ui/params.js';
import { createGallery } from './ui/gallery.js';
import { createWorksDialog } from './ui/works.js';
import { createHelp } from './ui/help.js';
import { KeptRunsPanel } from './ui/runs.js';
import { createPlanView } from './ui/plan-view.js';
import { createSweepView } from './ui/sweep-view.js';
import { createShareView } from './ui/share-view.js';
import { createLibrariesView } from './ui/libraries-view.js';
import { option } from './ui/dom.js';
import { createThemeToggle } from './ui/theme.js';
import { plotColors, themeData, themeLayout } from './app/theme.js';
import { drawPreview } from './plots/preview.js';
import { defaultKeys, phaseFigure, timeSeriesFigure } from './plots/timeseries.js';
import { loadedPlotly, plotlyReady } from './plots/plotly.js';

const $ = (id) => document.getElementById(id);
const plotConfig = { displaylogo: false, responsive: true };
// Light or dark (the system's, until the toggle picks one): the page at once, plots and editors as they draw.
const theme = createThemeToggle($('theme'));

const core = new CoreService(); // compiles and solves the model being edited
const checker = new CoreService(); // lints as you type, never behind a long solve
const pool = new WorkerPool();
// The Libraries tab and the standard library's files (ui/libraries-view.js), asked of the core at start.
const libraries = createLibrariesView({ core, modelText: () => modelEditor?.text ?? state.model.text });

let state;
// ?embed=1: the plot and a few sliders for a course page's iframe (&sliders=KEY,KEY chooses them); nothing saved.
const embedded = readLocation(location.href).embed;
let works; // the user's saves (app/works.js): the page shows one, workId
let workId = null;
const paramHistory = new History(); // undo/redo of parameter changes
// Every change to `state` goes through the store's named actions (app/store.js); its subscribers save the work and
// update the undo buttons. `state` is the store's state, kept in this module for reading.
let appStore = null;
const act = (name, ...args) => appStore.dispatch(name, ...args);
let info = null; // the compiled model's description (states, parameters, ...)
let modelHandle = null; // its handle in the core worker
let current = null; // {info, solution, text, file, options, set, overrides, settings} of the last run
let compiledText = ''; // the text the compiled model (modelHandle) was compiled from
let previous = null;
let methods = [];
let unitTable = null; // the core's units (units_json()) for completing unit names in the editors
let functionTable = null; // the core's functions (functions_json()) for completion in equations and the reference
let modelEditor;
let planEditor;
let help = null; // the model-language reference (ui/help.js)
let planView; // the Test plan's view (ui/plan-view.js)
let sweepView; // the Sweep tab (ui/sweep-view.js)
// Checking as you type waits for the first plot, so its worker does not compete with the first solve.
let firstPlotDone;
let editorsLoaded = false; // the editors load after the first plot (ui/lazy-editor.js)
const firstPlot = new Promise((resolve) => (firstPlotDone = resolve));
// The model schema, for the editor and the Help reference: loaded when one of them first needs it.
const modelSchema = () => import('@schemas/model.schema.json').then((m) => m.default);

// ---- small helpers ---------------------------------------------------------------------------------------------

function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/// Stores the page's state in its save now (before switching saves, so nothing pending is lost).
function saveNow() {
  if (!state || !workId) return;
  if (!works.save(workId, state))
    setStatus("Could not save to this browser's storage (full or disabled): export the model file to keep it", 'warn');
}
const saveSoon = debounce(saveNow, 250);

function setStatus(text, kind = '') {
  const status = $('status');
  status.textContent = text;
  status.className = `status ${kind}`;
}

/// FILE:LINE:COL: error: MESSAGE, or FILE: error: MESSAGE for a problem of the whole file (no line 0:0).
function formatDiagnostic(d) {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column > 0 ? `${d.column}:` : ''}` : `${d.file}:`;
  return `${where} ${d.severity ?? 'error'}: ${d.message}`;
}

function showProblems(diagnostics, editor) {
  const list = $('diagnostics');
  list.replaceChildren();
  for (const d of diagnostics) {
    const item = document.createElement('li');
    item.className = d.severity === 'warning' ? 'warning' : 'error';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = formatDiagnostic(d);
    button.addEventListener('click', () => editor?.focusLine(d.line));
    item.append(button);
    list.append(item);
  }
}

function number(text) {
  if (String(text).trim() === '') return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : NaN;
}

/// Solver options from the run controls: only what the user set; the model's simulate block supplies the rest.
function solveOptions() {
  const options = {};
  const s = state.settings;
  if (s.method) options.method = s.method;
  for (const [key, id] of [
    ['rtol', 'rtol'],
    ['atol', 'atol'],
  ]) {
    const v = number(s[key]);
    $(id).classList.toggle('invalid', Number.isNaN(v));
    if (Number.isFinite(v)) options[key] = v;
  }
  const tEnd = number(s.t_end);
  $('t-end').classList.toggle('invalid', Number.isNaN(tEnd));
  if (Number.isFinite(tEnd) && info) options.tspan = [info.simulate.tspan[0], tEnd];
  return options;
}

// ---- the model: compile, solve, plot ----------------------------------------------------------------------------

async function compileModel() {
  const text = modelEditor.text;
  try {
    const result = await core.call(Type.compile, { text, file: state.model.file });
    if (modelHandle) core.call(Type.release, { model: modelHandle }).catch(() => {});
    modelHandle = result.model;
    compiledText = text;
    const changedLayout = !info || info.name !== result.info.name;
    const before = info ? [...info.parameters, ...info.states] : [];
    info = result.info;
    // The text wins over a stale override (L: 2.0 typed after L's slider was dragged), and the model's name is the
    // text's `model:` (the header and the names of exported files follow it).
    act('compiled', { name: info.name, before, after: [...info.parameters, ...info.states] });
    if (changedLayout) previous = null;
    renderModelControls();
    showProblems(info.warnings ?? [], modelEditor);
    offerStarterPlan();
    return true;
  } catch (e) {
    if (e.cancelled) return false;
    const diagnostics = e.diagnostics?.length
      ? e.diagnostics
      : [{ file: state.model.file, line: 1, column: 1, message: e.message }];
    modelEditor.showDiagnostics(diagnostics);
    showProblems(diagnostics, modelEditor);
    const plotNote = current ? 'the plot shows the last good run' : 'nothing to plot until it compiles';
    setStatus(`${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in the model; ${plotNote}`, 'error');
    document.body.dataset.state = 'error';
    return false;
  }
}

let solving = false;
let solveAgain = false;

/// Solves the compiled model; a request while a solve runs is remembered and served once it ends (latest wins).
async function solve() {
  if (solving) {
    solveAgain = true;
    return;
  }
  if (!modelHandle && !(await compileModel())) return;
  solving = true;
  setBusy(true);
  const started = performance.now();
  const progress = $('solve-progress');
  const showProgress = setTimeout(() => (progress.hidden = false), 300);
  try {
    // Overrides are kept as typed, in display units (so are share links); the core takes coherent values.
    const run = {
      text: compiledText,
      file: state.model.file,
      options: solveOptions(),
      set: coherentSet(info, state.overrides),
    };
    const solution = await core.call(
      Type.solve,
      { model: modelHandle, options: run.options, settings: { set: run.set } },
      { onProgress: (f) => (progress.value = f) },
    );
    if (current && state.view.compare) previous = current;
    current = { info, solution, ...run, overrides: { ...state.overrides }, settings: { ...state.settings } };
    await renderSimulation();
    const total = performance.now() - started;
    performance.measure('numen:solve-and-draw', { start: started, duration: total });
    $('stats').dataset.roundTripMs = total.toFixed(1);
    renderStats(solution.info, total);
    const ok = solution.info.status === 'success' || solution.info.status === 'terminated';
    setStatus(
      ok ? `${info.name}: ${solution.info.points} points` : `${solution.info.status}: ${solution.info.message}`,
      ok ? '' : 'error',
    );
    document.body.dataset.state = editorsLoaded ? 'ready' : 'drawn';
    $('diagnostics')
      .querySelectorAll('li.error')
      .forEach((li) => li.remove());
  } catch (e) {
    if (e.cancelled) {
      modelHandle = null; // the worker that held it is gone
      setStatus('Cancelled: the solve was stopped', 'warn');
      document.body.dataset.state = 'cancelled';
    } else {
      if (e.restarted) modelHandle = null; // the worker restarted its core: the next run compiles again
      const diagnostics = e.diagnostics ?? [];
      showProblems(diagnostics, modelEditor);
      setStatus(diagnostics.length ? diagnostics.map(formatDiagnostic).join('\n') : e.message, 'error');
      document.body.dataset.state = 'error';
    }
  } finally {
    clearTimeout(showProgress);
    progress.hidden = true;
    solving = false;
    setBusy(false);
    if (solveAgain) {
      solveAgain = false;
      solve();
    }
  }
}

async function compileAndSolve() {
  if (await compileModel()) await solve();
}

function setBusy(busy) {
  $('cancel').disabled = !busy;
  document.body.classList.toggle('busy', busy);
}

function chosenKeys() {
  const all = new Set([...info.states, ...info.outputs].map((v) => v.key));
  const keys = (state.view.keys ?? defaultKeys(info)).filter((k) => all.has(k));
  return keys.length ? keys : defaultKeys(info);
}

async function renderSimulation() {
  if (!current) return;
  const xKey = $('phase-x').value;
  const figure = xKey
    ? phaseFigure(current.info, current.solution, xKey, $('phase-y').value)
    : timeSeriesFigure(current.info, current.solution, chosenKeys(), {
        previous: state.view.compare && previous?.info.name === current.info.name ? previous : null,
        kept: keptRuns.visible(),
      });
  // The zoom carried by the state (a link, a save) is the plot's until the user zooms again or double-clicks.
  const ranges = state.view.ranges;
  if (ranges?.mode === (xKey ? 'phase' : 'time'))
    for (const [axis, range] of Object.entries(ranges.axes ?? {}))
      if (figure.layout[axis] && Array.isArray(range))
        figure.layout[axis] = { ...figure.layout[axis], range: [...range], autorange: false };
  // Before Plotly has loaded (the first plot, on a slow device): a static drawing of the same figure, at once.
  if (!loadedPlotly() && !xKey) {
    drawPreview(
      $('plot'),
      { data: themeData(figure.data, theme.theme), layout: figure.layout },
      plotColors(theme.theme),
    );
    performance.mark('numen:plot-preview');
    setStatus('Solved: the interactive plot (zoom, values under the cursor) is loading…');
    // On screen before Plotly runs (a frame, or at most 100 ms where frames are paused, as in a background tab).
    await new Promise((painted) => {
      requestAnimationFrame(() => setTimeout(painted, 0));
      setTimeout(painted, 100);
    });
  }
  const Plotly = await plotlyReady;
  $('plot').querySelector(':scope > .plot-preview')?.remove();
  await Plotly.react($('plot'), themeData(figure.data, theme.theme), styled(figure.layout), plotConfig);
  if (!$('plot').dataset.watched) {
    $('plot').dataset.watched = '1';
    $('plot').on('plotly_relayout', rememberRanges);
  }
}

/// The simulation plot's zoom, kept in the state (saved, and carried by a share link).
function rememberRanges() {
  const layout = $('plot').layout ?? {};
  const axes = {};
  for (const [name, axis] of Object.entries(layout))
    if (/^[xy]axis\d*$/.test(name) && axis?.autorange === false && Array.isArray(axis.range))
      axes[name] = axis.range.map(Number);
  const next = Object.keys(axes).length ? { mode: $('phase-x').value ? 'phase' : 'time', axes } : null;
  if (JSON.stringify(next) === JSON.stringify(state.view.ranges)) return;
  act('setView', 'ranges', next);
}

function renderStats(solutionInfo, roundTripMs) {
  const s = solutionInfo.stats;
  const parts = [
    solutionInfo.method,
    `${s.accepted_steps} steps`,
    `${s.rejected_steps} rejected`,
    `${s.rhs_evals} f evals`,
  ];
  if (s.jacobian_evals) parts.push(`${s.jacobian_evals} Jacobians`, `${s.lu_decompositions} LU`);
  if (s.newton_failures) parts.push(`${s.newton_failures} Newton failures`);
  if (s.events) parts.push(`${s.events} events`);
  parts.push(`${s.wall_ms.toFixed(2)} ms in the core`, `${roundTripMs.toFixed(1)} ms solve + draw`);
  $('stats').textContent = parts.join(' · ');
}

// ---- controls built from the compiled model ---------------------------------------------------------------------

function renderModelControls() {
  $('model-name').textContent = state.model.name;
  params.render(info, state.overrides, { only: embedded ? embedSliders() : null });
  const variables = $('variables');
  variables.replaceChildren();
  const chosen = new Set(chosenKeys());
  for (const v of [...info.states, ...info.outputs]) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = v.key;
    box.checked = chosen.has(v.key);
    box.addEventListener('change', () => {
      act(
        'setView',
        'keys',
        [...variables.querySelectorAll('input:checked')].map((b) => b.value),
      );
      renderSimulation();
    });
    label.append(box, ` ${v.key}${v.unit ? ` [${v.unit}]` : ''}`);
    variables.append(label);
  }
  const measurable = [...info.states, ...info.outputs].map((v) => v.key);
  for (const id of ['phase-x', 'phase-y']) {
    const select = $(id);
    // The user's choice for this model, else what the model file asks for (`plots: phase`), else what was shown.
    const chosen = state.view.phase?.[id === 'phase-x' ? 'x' : 'y'];
    const declared = info.plots?.phase?.[id === 'phase-x' ? 0 : 1];
    const keep =
      chosen !== undefined && (chosen === '' || measurable.includes(chosen)) ? chosen : (declared ?? select.value);
    select.replaceChildren(...(id === 'phase-x' ? [option('', 'off')] : []), ...measurable.map((k) => option(k)));
    if (measurable.includes(keep)) select.value = keep;
    else if (id === 'phase-y' && measurable[1]) select.value = measurable[1];
    else if (id === 'phase-x') select.value = '';
  }
  sweepView.render(info);
}

const params = new ParamsPanel($('params'), {
  onChange: (key, value) => {
    act('setParam', key, value);
    solveSoon();
  },
  onReset: (key) => {
    act('resetParam', key);
    solveSoon();
  },
});
const solveSoon = debounce(() => solve(), 60);

// Kept runs to compare (ui/runs.js): kept in the save's state, solved again from their record when first shown.
const keptRuns = new KeptRunsPanel($('kept-runs'), {
  state: () => state,
  act,
  current: () => current,
  redraw: () => renderSimulation(),
  status: setStatus,
  solve: async (run) => {
    const { model, info: runInfo } = await core.call(Type.compile, { text: run.text, file: run.file });
    try {
      return {
        info: runInfo,
        solution: await core.call(Type.solve, { model, options: run.options, settings: { set: run.set } }),
      };
    } finally {
      core.call(Type.release, { model }).catch(() => {});
    }
  },
});

function renderUndo() {
  $('param-undo').disabled = !paramHistory.canUndo();
  $('param-redo').disabled = !paramHistory.canRedo();
}

function restoreOverrides(changed) {
  if (!changed) return;
  if (info) params.render(info, state.overrides, { only: embedded ? embedSliders() : null });
  solveSoon();
}

const undoParams = () => restoreOverrides(act('undo'));
const redoParams = () => restoreOverrides(act('redo'));

/// The last run as CSV, written by the core as `numen run --outputs --format csv` writes it: the worker compiles the
/// run's own text (the editor may have moved on) and writes the solution the page plotted.
async function exportSolutionCsv() {
  if (!current) return;
  const name = `${state.model.name}.csv`;
  const { text, file, solution } = current;
  try {
    const csv = await core.call(Type.solutionCsv, {
      text,
      file,
      solution: { t: solution.t, x: solution.x, y: solution.y },
    });
    download(name, csv, 'text/csv');
  } catch (e) {
    if (!e.cancelled) setStatus(`The CSV could not be written: ${e.message}`, 'error');
  }
}

/// PNG or SVG of the plot of the tab shown (the simulation, the sweep, the plan's first panel), titled with the
/// model's name and what the plot is.
function exportPlot(format) {
  const tab = state.view.tab;
  const element =
    tab === 'sweep'
      ? $('sweep-plot')
      : tab === 'characterize'
        ? [...$('panels').children].find((d) => d.data)
        : $('plot');
  if (!element?.data) {
    setStatus(`Nothing plotted in the ${tab} tab yet: run it first`, 'warn');
    return;
  }
  const what =
    tab === 'sweep'
      ? `sweep of ${state.view.sweep.param}`
      : tab === 'characterize'
        ? (element.dataset.panel ?? 'characterization')
        : $('phase-x').value
          ? `phase portrait ${$('phase-y').value} vs ${$('phase-x').value}`
          : 'simulation';
  downloadPlot(element, format, `${state.model.name}-${tab}`, `${state.model.name}: ${what}`).catch((e) =>
    setStatus(e.message, 'error'),
  );
}

/// The Run of the tab shown: solve, sweep or plan (Ctrl+Enter, Cmd+Enter; from the editors too).
function runShown() {
  if (state.view.tab === 'sweep') sweepView.run();
  else if (state.view.tab === 'characterize') planView.run();
  else compileAndSolve();
}

const typing = (el) =>
  el?.closest?.('.cm-editor') ||
  (el?.tagName === 'INPUT' && !['checkbox', 'range', 'radio', 'button'].includes(el.type)) ||
  el?.tagName === 'TEXTAREA';

/// Keys of the whole page: Ctrl+Enter runs, Escape closes an open menu, Ctrl+Z / Ctrl+Shift+Z undo and redo parameter
/// changes (outside the editors and text fields, whose own undo they are).
function pageKeys(event) {
  const mod = event.ctrlKey || event.metaKey;
  if (event.defaultPrevented) return;
  if (mod && event.key === 'Enter') {
    event.preventDefault();
    runShown();
  } else if (event.key === 'Escape') {
    const open = [...document.querySelectorAll('details[open]:not(.param-group)')]; // menus, not the parameter groups
    if (!open.length) return;
    event.preventDefault();
    for (const menu of open) menu.open = false;
    open.at(-1).querySelector('summary')?.focus();
  } else if (
    event.key === '?' &&
    !mod &&
    !event.altKey &&
    !typing(event.target) &&
    !document.querySelector('dialog[open]')
  ) {
    event.preventDefault();
    help?.open();
  } else if (mod && !typing(event.target) && (event.key === 'z' || event.key === 'Z' || event.key === 'y')) {
    event.preventDefault();
    if (event.key === 'y' || event.shiftKey) redoParams();
    else undoParams();
  }
}

/// Opens a save from My work.
function openWork(id) {
  const saved = works.load(id);
  if (!saved) return;
  forgetLocation();
  const entry = works.entry(id);
  showWork(
    id,
    store.normalize(saved, freshState(findModel(defaultModelName) ?? models[0])),
    `${entry?.title ?? 'work'}: opened from My work`,
  );
}

/// A named copy of what the page shows, kept as it is now (the page goes on with the save it shows).
function keepCopy(title) {
  state.model.text = modelEditor.text;
  state.plan.text = planEditor.text;
  const name = title || `${state.model.name} ${new Date().toLocaleString()}`;
  const id = works.create(structuredClone(state), {
    title: name,
    origin: works.entry(workId)?.origin ?? '',
    kind: 'snapshot',
  });
  setStatus(
    id ? `Kept a copy: “${name}” (My work)` : "Could not save the copy: this browser's storage is full or disabled",
    id ? 'ok' : 'error',
  );
}

/// A second link pasted into an open tab: opened as a new saved copy, the work shown so far kept.
async function openHash() {
  if (!store.isShareHash(location.hash)) return;
  if (works.entry(workId)?.link === digest(location.hash)) return; // the link of what is shown (after Share)
  saveNow();
  const opened = await workFromLink(location.hash, freshState(findModel(defaultModelName) ?? models[0]));
  if (opened) showWork(opened.id, opened.state, opened.message);
}
const compileSoon = debounce(() => compileAndSolve(), 600);

// ---- starter plans -------------------------------------------------------------------------------------------

/// An empty plan, or the "no port" note the page wrote, becomes a starter plan as soon as the model has a port (a plan
/// the user wrote is never replaced).
function offerStarterPlan() {
  if (!info || !isPlaceholderPlan(planEditor.text)) return;
  const starter = starterPlan(info, state.model.file);
  if (starter !== planEditor.text) planEditor.setText(starter);
}

// ---- editors, tabs, share, export --------------------------------------------------------------------------------

function selectEditor(which) {
  act('setView', 'editor', which);
  if (which === 'plan') offerStarterPlan();
  for (const tab of document.querySelectorAll('.editor-tab'))
    tab.setAttribute('aria-selected', String(tab.dataset.editor === which));
  $('editor-model').hidden = which !== 'model';
  $('editor-plan').hidden = which !== 'plan';
  $('editor-libraries').hidden = which !== 'libraries';
  if (which === 'libraries') libraries.show();
}

function selectTab(which) {
  act('setView', 'tab', which);
  for (const tab of document.querySelectorAll('.view-tab'))
    tab.setAttribute('aria-selected', String(tab.dataset.tab === which));
  for (const view of document.querySelectorAll('.view')) view.hidden = view.dataset.view !== which;
  resizePlots();
}

function resizePlots() {
  const Plotly = loadedPlotly();
  if (!Plotly) return;
  for (const id of ['plot', 'sweep-plot']) if ($(id).data) Plotly.Plots.resize($(id));
  for (const div of $('panels').children) if (div.data) Plotly.Plots.resize(div);
}

/// The sliders an embed shows: those its address names (&sliders=KEY,KEY), else the ones the link changed, else the
/// model's first three parameters.
function embedSliders() {
  const named = readLocation(location.href).sliders;
  const settable = [...info.parameters, ...info.states].map((v) => v.key);
  const chosen = named.filter((k) => settable.includes(k));
  if (chosen.length) return chosen;
  const changed = Object.keys(state.overrides).filter((k) => settable.includes(k));
  return changed.length ? changed : info.parameters.slice(0, 3).map((v) => v.key);
}

/// Type sizes on the plots themselves: ticks, legends, axis titles (Present mode makes them readable from the back of
/// a room; the page's CSS cannot reach into the plots' SVG).
function plotStyle(layout, on) {
  const update = {
    'font.size': on ? 18 : null,
    'legend.font.size': on ? 18 : null,
    'title.font.size': on ? 22 : null,
  };
  for (const [name, axis] of Object.entries(layout ?? {})) {
    if (!/^[xy]axis\d*$/.test(name) || !axis) continue;
    update[`${name}.tickfont.size`] = on ? 18 : null;
    if (axis.title) update[`${name}.title.font.size`] = on ? 20 : null;
  }
  return update;
}

/// A figure's layout as it is to be drawn now (with Present mode's sizes when it is on).
function styled(layout) {
  if (!state.view.presentation) return themeLayout(layout, theme.theme);
  const out = structuredClone(layout);
  for (const [path, value] of Object.entries(plotStyle(layout, true))) {
    const keys = path.split('.');
    let node = out;
    for (const k of keys.slice(0, -1)) node = node[k] = typeof node[k] === 'object' && node[k] ? node[k] : {};
    node[keys.at(-1)] = value;
  }
  out.margin = { ...(out.margin ?? {}), l: Math.max(out.margin?.l ?? 0, 95), b: Math.max(out.margin?.b ?? 0, 75) };
  return themeLayout(out, theme.theme);
}

/// Draws a figure in a plot element, in the theme shown and Present mode's sizes when it is on.
function drawFigure(element, figure) {
  return plotlyReady.then((Plotly) =>
    Plotly.react(element, themeData(figure.data, theme.theme), styled(figure.layout), plotConfig),
  );
}

function setPresentation(on) {
  act('setView', 'presentation', on);
  document.body.classList.toggle('presentation', on);
  $('present').setAttribute('aria-pressed', String(on));
  const Plotly = loadedPlotly();
  if (Plotly)
    for (const el of [$('plot'), $('sweep-plot'), ...$('panels').children])
      if (el.data)
        Plotly.relayout(el, { ...plotStyle(el.layout, on), 'margin.l': on ? 95 : 70, 'margin.b': on ? 75 : 50 });
  requestAnimationFrame(resizePlots);
}

/// The editors in the theme shown, once they and their theme module are loaded (both after the first plot).
function themeEditors() {
  for (const editor of [modelEditor, planEditor])
    editor.ready
      .then(() => import('./ui/editor-theme.js'))
      .then(({ applyEditorTheme }) => applyEditorTheme(editor.view, theme.theme));
}

/// Everything drawn, in the theme now shown (the toggle or the system changed it).
function repaint(shown) {
  themeEditors();
  const Plotly = loadedPlotly();
  if (Plotly)
    for (const el of [$('plot'), $('sweep-plot'), ...$('panels').children])
      if (el.data) Plotly.react(el, themeData(el.data, shown), themeLayout(el.layout, shown), plotConfig);
}

/// Shows a save (its model, plan, parameters and view) in the page, after storing the one shown so far.
function showWork(id, nextState, message = '') {
  saveNow();
  workId = id;
  works.setCurrent(id);
  state = nextState;
  appStore.replace(state);
  keptRuns.reset();
  document.body.dataset.state = 'loading'; // "ready" again once this save's model is solved and drawn
  modelEditor.setText(state.model.text);
  planEditor.setText(state.plan.text);
  applyView();
  info = null;
  modelHandle = null;
  previous = null;
  current = null;
  renderUndo();
  showNotice(message);
  saveNow();
  compileAndSolve();
}

/// What just happened to the user's work (a link opened as a copy, a save reopened): shown until dismissed or until
/// another save is shown.
function showNotice(message) {
  $('notice-text').textContent = message ?? '';
  $('notice').hidden = !message;
}

/// The page's controls from state (after a switch of save): run settings, tabs, view options.
function applyView() {
  for (const [id, key] of [
    ['rtol', 'rtol'],
    ['atol', 'atol'],
    ['t-end', 't_end'],
  ])
    $(id).value = state.settings[key] ?? '';
  if (methods.length) $('method').value = state.settings.method ?? '';
  $('compare').checked = state.view.compare;
  selectEditor(state.view.editor);
  selectTab(state.view.tab);
  setPresentation(state.view.presentation);
  $('model-name').textContent = state.model.name;
}

function freshState(model) {
  return store.initialState(model, planFor(model));
}

/// A gallery model in the user's own save of it: their edits if they have one, the model as published if not.
function galleryWork(model, { original = false } = {}) {
  const origin = `gallery:${model.name}`;
  const existing = original ? null : works.findWork(origin);
  const saved = existing && works.load(existing.id);
  if (saved) return { id: existing.id, state: store.normalize(saved, freshState(model)), reopened: true };
  const state = freshState(model);
  return { id: works.create(state, { title: model.name, origin }), state, reopened: false };
}

/// A gallery pick: leaves the address of a link behind (the page no longer shows it) and opens the model's save.
function loadModel(model, options) {
  forgetLocation();
  const work = galleryWork(model, options);
  showWork(work.id, work.state, work.reopened ? `${model.name}: your saved work, as you left it` : '');
}

/// Drops a link's hash and ?model= from the address once the page shows something else.
function forgetLocation() {
  history.replaceState(null, '', withoutTarget(location.href));
}

/// The core's unit table for completion; null until it has arrived (asked again if a cancelled worker lost it).
let unitsLoading = null;
function unitNames() {
  if (!unitTable && !unitsLoading)
    unitsLoading = core
      .call(Type.units)
      .then((table) => (unitTable = table))
      .catch(() => {})
      .finally(() => (unitsLoading = null));
  return unitTable;
}

/// The core's function table for completion in equations; null until it has arrived.
let functionsLoading = null;
function functionNames() {
  if (!functionTable && !functionsLoading)
    functionsLoading = core
      .call(Type.functions)
      .then((table) => (functionTable = table))
      .catch(() => {})
      .finally(() => (functionsLoading = null));
  return functionTable;
}

function dynamicValues({ key, refName, kind, doc }) {
  if (key === 'method' && kind === 'value')
    return methods.map((m) => ({ label: m.name, detail: m.family, info: m.summary }));
  // Names from the libraries the model uses: components where an entity or a slot names one, systems in the world.
  if (refName === 'library_ref' || key === 'use')
    return Object.keys(libraries.files ?? {}).map((label) => ({ label, detail: 'standard library' }));
  if (refName === 'qualified_name') return libraryCompletions(doc, libraries.files, 'components');
  if (key === 'world' && kind === 'key') return libraryCompletions(doc, libraries.files, 'systems');
  if (!info) return [];
  const params = info.parameters.map((v) => v.key);
  const states = info.states.map((v) => v.key);
  const outputs = info.outputs.map((v) => v.key);
  const excitation = ['excitation.amplitude', 'excitation.frequency', 'excitation.dc_offset'];
  if (refName === 'sweep_key' || key === 'sweep_param') return [...params, ...states, ...excitation];
  if (key === 'set' && kind === 'key') return [...params, ...states];
  if (key === 'output' || key === 'y_axis') return [...states, ...outputs];
  if (key === 'displacement_state' || key === 'velocity_state') return states;
  if (key === 'scale_by') return params;
  const ports = info.inputs.map((v) => v.key.split('.'));
  if (key === 'entity') return [...new Set(ports.map((p) => p[0]))];
  if (key === 'component') return [...new Set(ports.map((p) => p[1]))];
  if (key === 'port') return [...new Set(ports.map((p) => p[2]))];
  if (key === 'sub_test' || (key === 'tests' && refName === 'test_name'))
    return [...doc.matchAll(/name:\s*([A-Za-z_][A-Za-z0-9_.-]*)/g)].map((m) => m[1]);
  if (key === 'file') return models.map((m) => `../${m.file}`);
  return [];
}

/// The save to show for the page's address: a share link opens as a new saved copy (or the copy made when it was
/// opened before), ?model= a gallery model's save or a file from this site, else the save shown last. Nothing the
/// user had is overwritten. Returns {id, state, message}.
async function workFromLocation(fallback) {
  const base = freshState(fallback);
  if (store.isShareHash(location.hash)) {
    const opened = await workFromLink(location.hash, base);
    if (opened) return opened;
  }
  const wanted = readLocation(location.href).model;
  if (wanted) {
    const gallery = findModel(wanted.replace(/\.yaml$/, ''));
    if (gallery) return galleryWork(gallery);
    const url = new URL(wanted, location.href);
    if (url.origin !== location.origin) {
      showLinkError(`?model= can only load from this site (${location.origin}); ${url.origin} is another origin`);
    } else {
      const response = await fetch(url).catch(() => null);
      if (response?.ok) {
        const text = await response.text();
        const file = url.pathname.split('/').pop() || 'model.yaml';
        const origin = `file:${url.pathname}`;
        const existing = works.findWork(origin);
        const saved = existing && works.load(existing.id);
        if (saved)
          return {
            id: existing.id,
            state: store.normalize(saved, base),
            message: `${file}: your saved work, as you left it`,
          };
        const state = store.initialState({ name: file.replace(/\.yaml$/, ''), file, text }, '');
        return { id: works.create(state, { origin }), state };
      }
      showLinkError(`could not load ${url.pathname}${response ? ` (HTTP ${response.status})` : ''}`);
    }
  }
  const id = works.currentId();
  const saved = id && works.load(id);
  if (saved) return { id, state: store.normalize(saved, base) };
  return galleryWork(fallback);
}

/// A share link's save: the copy made when this same link was opened before, or a new one.
async function workFromLink(hash, base) {
  let shared;
  try {
    shared = await store.decodeShare(hash);
  } catch (e) {
    showLinkError(`${e.message ?? String(e)} Your own work is shown, unchanged.`);
    return null;
  }
  if (!shared) return null;
  const link = digest(hash);
  const existing = works.findLink(link);
  const saved = existing && works.load(existing.id);
  $('link-error').hidden = true;
  if (saved)
    return {
      id: existing.id,
      state: store.normalize(saved, base),
      message: `This link is open in your copy “${existing.title}” (My work), with any changes you made to it`,
    };
  $('link-error').hidden = true;
  const { stdlib: madeWith, ...content } = shared;
  const state = store.normalize(content, base);
  const title = `${state.model.name} (link ${new Date().toLocaleString()})`;
  const id = works.create(state, { title, origin: 'link', link });
  // A link made with another standard library still opens, on this app's: say so when its model uses one.
  const other =
    madeWith && usedLibraries(state.model.text).length > 0 && madeWith !== (await libraries.standardLibraryVersion());
  const note = other
    ? ' It was made with another version of the standard library: the model now runs on this one.'
    : '';
  return {
    id,
    state,
    message: `Opened the link as a new copy, “${title}”; your other work is unchanged (My work).${note}`,
  };
}

/// A problem with the address (a damaged link, a model that cannot load): shown until dismissed, never overwritten
/// by the status of the next solve.
function showLinkError(message) {
  $('link-error-text').textContent = message;
  $('link-error').hidden = false;
}

function wire() {
  $('run').addEventListener('click', () => (modelHandle ? solve() : compileAndSolve()));
  $('cancel').addEventListener('click', () => core.cancel());
  for (const [id, key] of [
    ['method', 'method'],
    ['rtol', 'rtol'],
    ['atol', 'atol'],
    ['t-end', 't_end'],
  ]) {
    const input = $(id);
    input.value = state.settings[key] ?? '';
    input.addEventListener('change', () => {
      act('setSetting', key, input.value.trim());
      solve();
    });
  }
  $('compare').checked = state.view.compare;
  $('compare').addEventListener('change', () => {
    act('setView', 'compare', $('compare').checked);
    renderSimulation();
  });
  for (const id of ['phase-x', 'phase-y'])
    $(id).addEventListener('change', () => {
      act('setView', 'phase', { x: $('phase-x').value, y: $('phase-y').value });
      act('setView', 'ranges', null);
      renderSimulation();
    });
  for (const tab of document.querySelectorAll('.editor-tab'))
    tab.addEventListener('click', () => selectEditor(tab.dataset.editor));
  for (const tab of document.querySelectorAll('.view-tab'))
    tab.addEventListener('click', () => selectTab(tab.dataset.tab));
  $('present').addEventListener('click', () => setPresentation(!state.view.presentation));
  // Previews are solved by the checking core, after the first plot, so they never delay it.
  const preview = (model) =>
    firstPlot.then(() => checker.call(Type.preview, { text: model.text, file: model.file, points: 200 }));
  const gallery = createGallery($('gallery'), loadModel, (name) => Boolean(works.findWork(`gallery:${name}`)), preview);
  help = createHelp({
    schema: modelSchema,
    functions: () => (functionTable ? Promise.resolve(functionTable) : core.call(Type.functions)),
    units: () => (unitTable ? Promise.resolve(unitTable) : core.call(Type.units)),
  });
  $('help-button').addEventListener('click', () => help.open());
  const worksDialog = createWorksDialog($('works'), {
    works,
    currentId: () => workId,
    onOpen: openWork,
    onKeep: keepCopy,
  });
  $('works-button').addEventListener('click', () => {
    saveNow();
    worksDialog.open();
  });
  $('link-error-close').addEventListener('click', () => ($('link-error').hidden = true));
  $('notice-close').addEventListener('click', () => showNotice(''));
  $('param-undo').addEventListener('click', undoParams);
  $('param-redo').addEventListener('click', redoParams);
  window.addEventListener('hashchange', openHash);
  window.addEventListener('pagehide', saveNow); // what changed in the last 250 ms (a run just kept) is not lost
  $('tab-indents').addEventListener('change', () => {
    for (const editor of [modelEditor, planEditor]) editor.tabIndents($('tab-indents').checked);
  });
  document.addEventListener('keydown', pageKeys);
  $('gallery-button').addEventListener('click', () => gallery.open());

  $('export-csv').addEventListener('click', exportSolutionCsv);
  $('export-png').addEventListener('click', () => exportPlot('png'));
  $('export-svg').addEventListener('click', () => exportPlot('svg'));
  $('export-model').addEventListener('click', () =>
    download(`${state.model.name}.yaml`, modelEditor.text, 'application/yaml'),
  );
  $('export-plan').addEventListener('click', () =>
    download(state.plan.file.split('/').pop(), planEditor.text, 'application/yaml'),
  );
  for (const b of document.querySelectorAll('#export-menu button'))
    b.addEventListener('click', () => ($('export-menu').open = false));
}

async function start() {
  // The core's wasm downloads and compiles in its worker while the page builds its editors.
  const methodsLoaded = core.call(Type.methods);
  unitNames(); // asked for now, beside the methods, so completion has them by the time anyone types
  libraries.standardLibraries();
  functionNames();
  const fallback = findModel(defaultModelName) ?? models[0];
  if (embedded) {
    document.body.classList.add('embed');
    $('embed-open').href = fullUrl(location.href);
  }
  // An embed is a view of a link on someone's course page: it keeps nothing (Open in the workbench saves a copy).
  works = new WorkStore(embedded ? new MemoryStorage() : storageOrMemory());
  works.migrate((legacy) => (findModel(legacy.model.name) ? `gallery:${legacy.model.name}` : 'earlier'));
  const newcomer = !embedded && works.list().length === 0; // nothing saved in this browser yet
  const opened = await workFromLocation(fallback);
  state = opened.state;
  workId = opened.id;
  appStore = new Store(state, { history: paramHistory });
  // Autosave and the undo buttons follow every action; a switch of save is stored by showWork itself.
  appStore.subscribe(({ action }) => {
    if (action !== 'replace') saveSoon();
    renderUndo();
  });
  if (embedded) Object.assign(state.view, { tab: 'simulation', presentation: false, editor: 'model' });
  works.setCurrent(workId);
  // The editors load after the first plot (ui/lazy-editor.js): CodeMirror and the schemas are off its path.
  const editorModule = () => import('./editor/editor.js');
  modelEditor = new LazyEditor(
    $('editor-model'),
    {
      doc: state.model.text,
      schema: modelSchema,
      label: 'model editor',
      file: () => state.model.file,
      dynamicValues,
      units: unitNames,
      functions: functionNames,
      check: (text) => firstPlot.then(() => checker.call(Type.checkModel, { text, file: state.model.file })),
      onRun: runShown,
      onChange: (text, { replaced }) => {
        act('setModelText', text);
        // A gallery pick replaces the text and compiles at once; only typing waits for a pause.
        if (!replaced) compileSoon();
      },
    },
    editorModule,
  );
  planEditor = new LazyEditor(
    $('editor-plan'),
    {
      doc: state.plan.text,
      schema: () => import('@schemas/plan.schema.json').then((m) => m.default),
      label: 'plan editor',
      file: () => state.plan.file,
      dynamicValues,
      units: unitNames,
      check: (text) =>
        text.trim() && !text.trimStart().startsWith('#')
          ? firstPlot.then(() => checker.call(Type.checkPlan, { ...planView.planArgs(), text }))
          : Promise.resolve([]),
      onRun: runShown,
      onChange: (text) => act('setPlanText', text),
    },
    editorModule,
  );
  planView = createPlanView({
    store: appStore,
    core,
    pool,
    editors: { model: modelEditor, plan: planEditor },
    showProblems,
    selectEditor,
    draw: drawFigure,
  });
  sweepView = createSweepView({
    store: appStore,
    pool,
    editors: { model: modelEditor },
    model: () => info,
    compileModel,
    solveOptions,
    drawFigure,
  });
  createShareView({
    store: appStore,
    editors: { model: modelEditor, plan: planEditor },
    works,
    workId: () => workId,
    standardLibraryVersion: libraries.standardLibraryVersion,
    setStatus,
  });
  wire();
  keptRuns.render();
  themeEditors();
  theme.subscribe(repaint);
  selectEditor(state.view.editor);
  selectTab(state.view.tab);
  setPresentation(state.view.presentation);
  performance.mark('numen:editors-ready');
  methods = await methodsLoaded;
  performance.mark('numen:core-ready');
  $('method').replaceChildren(
    option('', "model's"),
    ...methods.map((m) => option(m.name, `${m.name}${m.stiff ? ' (stiff)' : ''}`)),
  );
  $('method').value = state.settings.method ?? '';
  await compileAndSolve();
  performance.mark('numen:first-plot');
  firstPlotDone();
  // Then the editors; the page is "ready" (body[data-state]) once they are there too.
  await Promise.all([modelEditor.load(), planEditor.load()]);
  editorsLoaded = true;
  if (document.body.dataset.state === 'drawn') document.body.dataset.state = 'ready';
  performance.mark('numen:editors-loaded');
  saveNow();
  showNotice(opened.message ?? (newcomer ? FIRST_STEPS : ''));
}

/// What a newcomer's first screen says, in one line (until dismissed or another model is picked).
const FIRST_STEPS =
  'Start here: drag a parameter slider and the plot re-solves; edit the model text; the model name at the top opens the gallery; Help (?) explains the language.';

/// localStorage, or (disabled, as in some private windows) a store that lasts the session, with a warning.
function storageOrMemory() {
  try {
    const probe = 'numen.probe';
    localStorage.setItem(probe, '1');
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    showLinkError(
      'This browser does not let the page save your work (storage disabled): export the model file to keep it',
    );
    return new MemoryStorage();
  }
}

// Offline after the first visit (production builds only: the dev server serves modules that change). Registered once
// the page has started, so the service worker's download of every file does not compete with the first plot.
const registerOffline = () => {
  if (import.meta.env.PROD && 'serviceWorker' in navigator) navigator.serviceWorker.register('./sw.js').catch(() => {});
};

start()
  .catch((e) => {
    setStatus(e.message, 'error');
    document.body.dataset.state = 'error';
  })
  .finally(registerOffline);
