// The workbench page: editors, parameters, runs, sweeps and plans. All computing happens in workers (one core for
// single solves, one for checking as you type, a pool for sweeps and plans); this module wires the page to them.
import modelSchema from '@schemas/model.schema.json';
import planSchema from '@schemas/plan.schema.json';
import { CoreService } from './core/client.js';
import { WorkerPool, defaultPoolSize } from './core/pool.js';
import { YamlEditor } from './editor/editor.js';
import { defaultModelName, findModel, models, planFiles, planFor } from './models.js';
import * as store from './app/state.js';
import { download, downloadPlot, solutionCsv } from './app/export.js';
import { coherentSet } from './app/units.js';
import { ParamsPanel } from './ui/params.js';
import { createGallery } from './ui/gallery.js';
import { defaultKeys, phaseFigure, sweepFigure, timeSeriesFigure } from './plots/timeseries.js';
import { panelFigure } from './plots/panels.js';
import { loadedPlotly, plotlyReady } from './plots/plotly.js';

const $ = (id) => document.getElementById(id);
const plotConfig = { displaylogo: false, responsive: true };

const core = new CoreService(); // compiles and solves the model being edited
const checker = new CoreService(); // lints as you type, never behind a long solve
const pool = new WorkerPool();

let state;
let info = null; // the compiled model's description (states, parameters, ...)
let modelHandle = null; // its handle in the core worker
let current = null; // {info, solution} of the last run
let previous = null;
let methods = [];
let unitTable = null; // the core's units (units_json()) for completing unit names in the editors
let lastResults = null;
let modelEditor;
let planEditor;
// Checking as you type waits for the first plot, so its worker does not compete with the first solve.
let firstPlotDone;
const firstPlot = new Promise((resolve) => (firstPlotDone = resolve));

// ---- small helpers ---------------------------------------------------------------------------------------------

function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

const saveSoon = debounce(() => store.save(state), 250);

function setStatus(text, kind = '') {
  const status = $('status');
  status.textContent = text;
  status.className = `status ${kind}`;
}

function formatDiagnostic(d) {
  return `${d.file}:${d.line}:${d.column}: ${d.severity ?? 'error'}: ${d.message}`;
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
  for (const [key, id] of [['rtol', 'rtol'], ['atol', 'atol']]) {
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
    const result = await core.call('compile', { text, file: state.model.file });
    if (modelHandle) core.call('release', { model: modelHandle }).catch(() => {});
    modelHandle = result.model;
    const changedLayout = !info || info.name !== result.info.name;
    info = result.info;
    const known = new Set([...info.parameters, ...info.states].map((v) => v.key));
    for (const key of Object.keys(state.overrides)) if (!known.has(key)) delete state.overrides[key];
    if (changedLayout) previous = null;
    renderModelControls();
    showProblems(info.warnings ?? [], modelEditor);
    if (!planEditor.text.trim()) planEditor.setText(starterPlan(info, state.model.file));
    return true;
  } catch (e) {
    if (e.cancelled) return false;
    const diagnostics = e.diagnostics?.length ? e.diagnostics : [{ file: state.model.file, line: 1, column: 1, message: e.message }];
    modelEditor.showDiagnostics(diagnostics);
    showProblems(diagnostics, modelEditor);
    setStatus(`${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in the model; the plot shows the last good run`, 'error');
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
    const solution = await core.call(
      'solve',
      // Overrides are kept as typed, in display units (so are share links); the core takes coherent values.
      { model: modelHandle, options: solveOptions(), settings: { set: coherentSet(info, state.overrides) } },
      { onProgress: (f) => (progress.value = f) },
    );
    if (current && state.view.compare) previous = current;
    current = { info, solution };
    await renderSimulation();
    const total = performance.now() - started;
    performance.measure('numen:solve-and-draw', { start: started, duration: total });
    $('stats').dataset.roundTripMs = total.toFixed(1);
    renderStats(solution.info, total);
    const ok = solution.info.status === 'success' || solution.info.status === 'terminated';
    setStatus(ok ? `${info.name}: ${solution.info.points} points` : `${solution.info.status}: ${solution.info.message}`, ok ? '' : 'error');
    document.body.dataset.state = 'ready';
    $('diagnostics').querySelectorAll('li.error').forEach((li) => li.remove());
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
      });
  await (await plotlyReady).react($('plot'), figure.data, figure.layout, plotConfig);
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

function option(value, label = value) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  return o;
}

function renderModelControls() {
  $('model-name').textContent = state.model.name;
  params.render(info, state.overrides);
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
      state.view.keys = [...variables.querySelectorAll('input:checked')].map((b) => b.value);
      saveSoon();
      renderSimulation();
    });
    label.append(box, ` ${v.key}${v.unit ? ` [${v.unit}]` : ''}`);
    variables.append(label);
  }
  const measurable = [...info.states, ...info.outputs].map((v) => v.key);
  for (const id of ['phase-x', 'phase-y']) {
    const select = $(id);
    const keep = select.value;
    select.replaceChildren(...(id === 'phase-x' ? [option('', 'off')] : []), ...measurable.map((k) => option(k)));
    if (measurable.includes(keep)) select.value = keep;
    else if (id === 'phase-y' && measurable[1]) select.value = measurable[1];
  }
  const sweepParam = $('sweep-param');
  sweepParam.replaceChildren(...[...info.parameters, ...info.states].map((v) => option(v.key, `${v.key}${v.unit ? ` [${v.unit}]` : ''}`)));
  const sweep = state.view.sweep;
  if (![...info.parameters, ...info.states].some((v) => v.key === sweep.param)) {
    const first = info.parameters[0] ?? info.states[0];
    sweep.param = first?.key ?? '';
    sweep.from = '';
    sweep.to = '';
  }
  sweepParam.value = sweep.param;
  fillSweepRange(false);
  $('sweep-key').replaceChildren(...measurable.map((k) => option(k)));
  $('sweep-key').value = measurable.includes(sweep.key) ? sweep.key : measurable[0];
  $('sweep-count').value = sweep.count;
  $('sweep-spacing').value = sweep.spacing;
}

function fillSweepRange(reset) {
  const sweep = state.view.sweep;
  const variable = [...info.parameters, ...info.states].find((v) => v.key === sweep.param);
  if (!variable) return;
  const base = state.overrides[variable.key] ?? variable.value;
  if (reset || sweep.from === '' || sweep.to === '') {
    sweep.from = String(base === 0 ? -1 : Number((base * 0.5).toPrecision(6)));
    sweep.to = String(base === 0 ? 1 : Number((base * 2).toPrecision(6)));
  }
  $('sweep-from').value = sweep.from;
  $('sweep-to').value = sweep.to;
}

const params = new ParamsPanel($('params'), {
  onChange: (key, value) => {
    state.overrides[key] = value;
    saveSoon();
    solveSoon();
  },
  onReset: (key) => {
    delete state.overrides[key];
    saveSoon();
    solveSoon();
  },
});
const solveSoon = debounce(() => solve(), 60);
const compileSoon = debounce(() => compileAndSolve(), 600);

// ---- starter plans -------------------------------------------------------------------------------------------

function starterPlan(modelInfo, file) {
  const port = modelInfo.inputs[0];
  if (!port)
    return `# ${modelInfo.name} has no excitation port, so there is nothing to drive.\n# Add one to a component, e.g.\n#   ports:\n#     force: { targets: v, unit: m/s^2 }\n# then pick the Test plan tab again.\n`;
  const [entity, component, name] = port.key.split('.');
  const output = modelInfo.states[0].key;
  return `# A starter plan for ${modelInfo.name}: edit the frequencies to suit the model (Ctrl-Space completes keys).
version: 1
model: { file: ${file} }
excitation: { entity: ${entity}, component: ${component}, port: ${name}, output: ${output}, amplitude: 1 }
tests:
  - name: linearized
    type: linearized_frf
    frequencies: { spacing: log, f_start: 0.1, f_end: 100, n_points: 200 }
  - name: stepped_sine
    type: discrete_frequency_sweep
    frequencies: { spacing: log, f_start: 0.1, f_end: 100, n_points: 16 }
plots:
  - { type: bode, tests: [linearized, stepped_sine], db: true }
`;
}

// ---- sweeps ----------------------------------------------------------------------------------------------------

function sweepValues() {
  const s = state.view.sweep;
  const from = Number(s.from);
  const to = Number(s.to);
  const count = Math.max(2, Math.min(200, Math.floor(Number(s.count)) || 2));
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new Error('give the sweep a numeric range');
  if (s.spacing === 'log' && !(from > 0 && to > 0)) throw new Error('a log sweep needs a positive range');
  return Array.from({ length: count }, (_, i) => {
    const f = i / (count - 1);
    return s.spacing === 'log' ? from * (to / from) ** f : from + (to - from) * f;
  });
}

async function runSweep() {
  if (!info && !(await compileModel())) return;
  let values;
  try {
    values = sweepValues();
  } catch (e) {
    $('sweep-status').textContent = e.message;
    return;
  }
  const s = state.view.sweep;
  const workers = Number($('sweep-workers').value) || defaultPoolSize();
  pool.resize(workers);
  const base = { text: modelEditor.text, file: state.model.file, options: solveOptions() };
  const sweepInfo = info;
  // The range is typed in the parameter's display unit, and so are the runs' labels; the core gets coherent values.
  const tasks = values.map((v) => ({
    type: 'solveText',
    args: { ...base, settings: { set: coherentSet(sweepInfo, { ...state.overrides, [s.param]: v }) } },
  }));
  const runs = values.map((value) => ({ value, solution: null }));
  const draw = () => {
    const figure = sweepFigure(sweepInfo, runs, $('sweep-key').value, s.param);
    return plotlyReady.then((Plotly) => Plotly.react($('sweep-plot'), figure.data, figure.layout, plotConfig));
  };
  let drawing = null;
  const drawSoon = () => {
    drawing = drawing ?? new Promise((resolve) => requestAnimationFrame(() => resolve(draw()))).finally(() => (drawing = null));
  };
  $('sweep-run').disabled = true;
  $('sweep-cancel').disabled = false;
  const started = performance.now();
  let failed = 0;
  try {
    await pool.run(tasks, {
      onResult: (i, result) => {
        if (result.error || (result.info.status !== 'success' && result.info.status !== 'terminated')) failed += 1;
        if (!result.error) runs[i].solution = result;
        drawSoon();
      },
      onProgress: (done, total) => {
        $('sweep-progress').value = total ? done / total : 0;
        $('sweep-status').textContent = `${done}/${total} runs`;
      },
    });
    await drawing;
    await draw();
    const ms = performance.now() - started;
    $('sweep-status').dataset.ms = ms.toFixed(1);
    $('sweep-status').textContent = `${values.length} runs in ${(ms / 1000).toFixed(2)} s on ${Math.min(workers, values.length)} worker${workers === 1 ? '' : 's'}${failed ? `; ${failed} failed` : ''}`;
  } catch (e) {
    $('sweep-status').textContent = e.cancelled ? 'Cancelled' : e.message;
  } finally {
    $('sweep-run').disabled = false;
    $('sweep-cancel').disabled = true;
  }
}

// ---- characterization plans --------------------------------------------------------------------------------------

/// A plan and the files it may read, with a key naming that content so workers compile it once per run.
function planArgs() {
  const args = {
    text: planEditor.text,
    file: state.plan.file,
    files: planFiles({ [state.model.file]: modelEditor.text }),
    seed: -1,
  };
  // The gallery's files never change in a session; the plan and the edited model are what can.
  args.key = JSON.stringify([args.text, args.file, state.model.file, modelEditor.text]);
  return args;
}

async function runPlan() {
  const args = planArgs();
  const started = performance.now();
  let plan;
  try {
    plan = await core.call('planInfo', args);
  } catch (e) {
    const diagnostics = e.diagnostics ?? [];
    planEditor.showDiagnostics(diagnostics);
    showProblems(diagnostics, planEditor);
    selectEditor('plan');
    $('plan-status').textContent = diagnostics.length ? `${diagnostics.length} problem(s) in the plan` : e.message;
    return;
  }
  const workers = Number($('sweep-workers').value) || defaultPoolSize();
  pool.resize(workers);
  const points = new Array(plan.points).fill(null);
  const pending = JSON.stringify({ error: 'pending' });
  let merging = null;
  let dirty = false;
  // Partial results: merge what has come in (pending points marked) at most every 0.7 s while the rest runs.
  const mergePartial = async () => {
    if (merging) {
      dirty = true;
      return;
    }
    merging = (async () => {
      await new Promise((r) => setTimeout(r, 700));
      const doc = await core.call('merge', { ...args, points: points.map((p) => p ?? pending) });
      renderResults(doc, true);
    })()
      .catch(() => {})
      .finally(() => {
        merging = null;
        if (dirty) {
          dirty = false;
          mergePartial();
        }
      });
  };
  $('plan-run').disabled = true;
  $('plan-cancel').disabled = false;
  $('plan-status').textContent = `${plan.points} points, ${plan.tests.length} tests`;
  try {
    await pool.run(
      points.map((_, i) => ({ type: 'runPoint', args: { ...args, point: i } })),
      {
        onResult: (i, result) => {
          points[i] = typeof result === 'string' ? result : JSON.stringify({ error: result.error?.message ?? 'failed' });
          if (i % 4 === 0) mergePartial();
        },
        onProgress: (done, total) => {
          $('plan-progress').value = total ? done / total : 1;
          $('plan-status').textContent = `${done}/${total} points`;
        },
      },
    );
    dirty = false;
    await merging;
    const doc = await core.call('merge', { ...args, points });
    renderResults(doc, false);
    const ms = performance.now() - started;
    $('plan-status').dataset.ms = ms.toFixed(1);
    $('plan-status').textContent = `${plan.points} points in ${(ms / 1000).toFixed(2)} s on ${Math.min(workers, plan.points)} worker${workers === 1 ? '' : 's'}`;
  } catch (e) {
    $('plan-status').textContent = e.cancelled ? 'Cancelled' : e.message;
  } finally {
    $('plan-run').disabled = false;
    $('plan-cancel').disabled = true;
  }
}

function renderResults(doc, partial) {
  if (!partial) lastResults = doc;
  $('results-json').disabled = partial;
  const summary = $('plan-summary');
  summary.replaceChildren();
  const head = summary.insertRow();
  for (const h of ['test', 'type', 'status', 'metrics']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  for (const t of doc.tests) {
    const row = summary.insertRow();
    row.dataset.test = t.name;
    const metrics = Object.entries(t.metrics ?? {})
      .filter(([, v]) => typeof v === 'number')
      .slice(0, 4)
      .map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`)
      .join(', ');
    const status = partial && t.status !== 'ok' ? 'running' : t.status;
    for (const text of [t.name, t.type, status, metrics]) row.insertCell().textContent = text;
    row.className = status;
    if (!partial && t.messages?.length) row.title = t.messages.join('\n');
  }
  const panels = $('panels');
  const existing = [...panels.children];
  doc.plots.forEach((panel, i) => {
    let div = existing[i];
    if (!div) {
      div = document.createElement('div');
      div.className = 'panel';
      panels.append(div);
    }
    div.dataset.panel = panel.type;
    const figure = panelFigure(panel, doc);
    plotlyReady.then((Plotly) => Plotly.react(div, figure.data, figure.layout, plotConfig));
  });
  for (const extra of existing.slice(doc.plots.length)) extra.remove();
  if (!partial) renderCsvLinks(doc);
}

async function renderCsvLinks(doc) {
  const list = $('results-csv');
  list.replaceChildren();
  const files = await core.call('resultsCsv', { results: doc });
  for (const f of files) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = f.name;
    b.dataset.file = f.name;
    b.addEventListener('click', () => download(f.name, f.text, 'text/csv'));
    list.append(b);
  }
}

// ---- editors, tabs, share, export --------------------------------------------------------------------------------

function selectEditor(which) {
  state.view.editor = which;
  for (const tab of document.querySelectorAll('.editor-tab')) tab.setAttribute('aria-selected', String(tab.dataset.editor === which));
  $('editor-model').hidden = which !== 'model';
  $('editor-plan').hidden = which !== 'plan';
  saveSoon();
}

function selectTab(which) {
  state.view.tab = which;
  for (const tab of document.querySelectorAll('.view-tab')) tab.setAttribute('aria-selected', String(tab.dataset.tab === which));
  for (const view of document.querySelectorAll('.view')) view.hidden = view.dataset.view !== which;
  resizePlots();
  saveSoon();
}

function resizePlots() {
  const Plotly = loadedPlotly();
  if (!Plotly) return;
  for (const id of ['plot', 'sweep-plot']) if ($(id).data) Plotly.Plots.resize($(id));
  for (const div of $('panels').children) if (div.data) Plotly.Plots.resize(div);
}

function setPresentation(on) {
  state.view.presentation = on;
  document.body.classList.toggle('presentation', on);
  $('present').setAttribute('aria-pressed', String(on));
  requestAnimationFrame(resizePlots);
  saveSoon();
}

function loadModel(model) {
  state.model = { name: model.name, file: model.file, text: model.text };
  state.overrides = {};
  state.view.keys = null;
  state.plan = { text: planFor(model) ?? '', file: model.plan ?? 'plan.yaml' };
  modelEditor.setText(model.text);
  planEditor.setText(state.plan.text);
  info = null;
  previous = null;
  lastResults = null;
  $('panels').replaceChildren();
  $('plan-summary').replaceChildren();
  saveSoon();
  compileAndSolve();
}

/// The core's unit table for completion; null until it has arrived (asked again if a cancelled worker lost it).
let unitsLoading = null;
function unitNames() {
  if (!unitTable && !unitsLoading)
    unitsLoading = core
      .call('units')
      .then((table) => (unitTable = table))
      .catch(() => {})
      .finally(() => (unitsLoading = null));
  return unitTable;
}

function dynamicValues({ key, refName, kind, doc }) {
  if (key === 'method' && kind === 'value') return methods.map((m) => ({ label: m.name, detail: m.family, info: m.summary }));
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

async function share() {
  state.model.text = modelEditor.text;
  state.plan.text = planEditor.text;
  try {
    const hash = await store.encodeShare(state);
    const url = `${location.origin}${location.pathname}${hash}`;
    history.replaceState(null, '', hash);
    await navigator.clipboard?.writeText(url).catch(() => {});
    setStatus('Link copied: it restores this model, plan and view', 'ok');
    $('share').dataset.url = url;
  } catch (e) {
    setStatus(e.message, 'error');
  }
}

async function initialStateFromLocation(base) {
  try {
    const shared = await store.decodeShare(location.hash);
    if (shared) {
      // Once restored, the link's job is done: later reloads come back to the autosaved edits.
      history.replaceState(null, '', location.pathname + location.search);
      return store.normalize(shared, base);
    }
  } catch {
    setStatus('This share link is damaged; opened the last session instead', 'error');
  }
  const wanted = new URLSearchParams(location.search).get('model');
  if (wanted) {
    const gallery = findModel(wanted.replace(/\.yaml$/, ''));
    if (gallery) return store.initialState(gallery, planFor(gallery));
    const url = new URL(wanted, location.href);
    if (url.origin !== location.origin) {
      setStatus(`?model= can only load from this site (${location.origin}); ${url.origin} is another origin`, 'error');
    } else {
      const response = await fetch(url).catch(() => null);
      if (response?.ok) {
        const text = await response.text();
        const file = url.pathname.split('/').pop() || 'model.yaml';
        return store.initialState({ name: file.replace(/\.yaml$/, ''), file, text }, '');
      }
      setStatus(`could not load ${url.pathname}`, 'error');
    }
  }
  return store.normalize(store.loadSaved(), base);
}

function wire() {
  $('run').addEventListener('click', () => (modelHandle ? solve() : compileAndSolve()));
  $('cancel').addEventListener('click', () => core.cancel());
  for (const [id, key] of [['method', 'method'], ['rtol', 'rtol'], ['atol', 'atol'], ['t-end', 't_end']]) {
    const input = $(id);
    input.value = state.settings[key] ?? '';
    input.addEventListener('change', () => {
      state.settings[key] = input.value.trim();
      saveSoon();
      solve();
    });
  }
  $('compare').checked = state.view.compare;
  $('compare').addEventListener('change', () => {
    state.view.compare = $('compare').checked;
    saveSoon();
    renderSimulation();
  });
  for (const id of ['phase-x', 'phase-y']) $(id).addEventListener('change', () => renderSimulation());
  for (const tab of document.querySelectorAll('.editor-tab')) tab.addEventListener('click', () => selectEditor(tab.dataset.editor));
  for (const tab of document.querySelectorAll('.view-tab')) tab.addEventListener('click', () => selectTab(tab.dataset.tab));
  $('present').addEventListener('click', () => setPresentation(!state.view.presentation));
  $('share').addEventListener('click', share);
  const gallery = createGallery($('gallery'), loadModel);
  $('gallery-button').addEventListener('click', () => gallery.open());

  $('export-csv').addEventListener('click', () => current && download(`${state.model.name}.csv`, solutionCsv(current.info, current.solution), 'text/csv'));
  $('export-png').addEventListener('click', () => downloadPlot($('plot'), 'png', state.model.name));
  $('export-svg').addEventListener('click', () => downloadPlot($('plot'), 'svg', state.model.name));
  $('export-model').addEventListener('click', () => download(state.model.file, modelEditor.text, 'application/yaml'));
  $('export-plan').addEventListener('click', () => download(state.plan.file.split('/').pop(), planEditor.text, 'application/yaml'));
  for (const b of document.querySelectorAll('#export-menu button')) b.addEventListener('click', () => ($('export-menu').open = false));

  const sweep = state.view.sweep;
  $('sweep-param').addEventListener('change', () => {
    sweep.param = $('sweep-param').value;
    fillSweepRange(true);
    saveSoon();
  });
  for (const [id, key] of [['sweep-from', 'from'], ['sweep-to', 'to'], ['sweep-count', 'count'], ['sweep-spacing', 'spacing'], ['sweep-key', 'key']])
    $(id).addEventListener('change', () => {
      sweep[key] = $(id).value;
      saveSoon();
    });
  const workers = $('sweep-workers');
  const cores = navigator.hardwareConcurrency || 2;
  for (let n = 1; n <= Math.max(cores, 2); ++n) workers.append(option(String(n)));
  workers.value = String(state.view.workers || defaultPoolSize());
  workers.addEventListener('change', () => {
    state.view.workers = Number(workers.value);
    saveSoon();
  });
  $('sweep-form').addEventListener('submit', (event) => {
    event.preventDefault();
    runSweep();
  });
  $('sweep-cancel').addEventListener('click', () => pool.cancel());
  $('plan-run').addEventListener('click', runPlan);
  $('plan-cancel').addEventListener('click', () => pool.cancel());
  $('results-json').addEventListener('click', () => lastResults && download('results.json', `${JSON.stringify(lastResults, null, 1)}\n`, 'application/json'));
}

async function start() {
  // The core's wasm downloads and compiles in its worker while the page builds its editors.
  const methodsLoaded = core.call('methods');
  unitNames(); // asked for now, beside the methods, so completion has them by the time anyone types
  const fallback = findModel(defaultModelName) ?? models[0];
  state = await initialStateFromLocation(store.initialState(fallback, planFor(fallback)));
  modelEditor = new YamlEditor($('editor-model'), {
    doc: state.model.text,
    schema: modelSchema,
    label: 'model editor',
    file: () => state.model.file,
    dynamicValues,
    units: unitNames,
    check: (text) => firstPlot.then(() => checker.call('checkModel', { text, file: state.model.file })),
    onChange: (text, { replaced }) => {
      state.model.text = text;
      saveSoon();
      // A gallery pick replaces the text and compiles at once; only typing waits for a pause.
      if (!replaced) compileSoon();
    },
  });
  planEditor = new YamlEditor($('editor-plan'), {
    doc: state.plan.text,
    schema: planSchema,
    label: 'plan editor',
    file: () => state.plan.file,
    dynamicValues,
    units: unitNames,
    check: (text) =>
      text.trim() && !text.trimStart().startsWith('#')
        ? firstPlot.then(() => checker.call('checkPlan', { ...planArgs(), text }))
        : Promise.resolve([]),
    onChange: (text) => {
      state.plan.text = text;
      saveSoon();
    },
  });
  wire();
  selectEditor(state.view.editor);
  selectTab(state.view.tab);
  setPresentation(state.view.presentation);
  performance.mark('numen:editors-ready');
  methods = await methodsLoaded;
  performance.mark('numen:core-ready');
  $('method').replaceChildren(option('', "model's"), ...methods.map((m) => option(m.name, `${m.name}${m.stiff ? ' (stiff)' : ''}`)));
  $('method').value = state.settings.method ?? '';
  await compileAndSolve();
  performance.mark('numen:first-plot');
  firstPlotDone();
  store.save(state);
}

// Offline after the first visit (production builds only: the dev server serves modules that change).
if (import.meta.env.PROD && 'serviceWorker' in navigator) navigator.serviceWorker.register('./sw.js').catch(() => {});

start().catch((e) => {
  setStatus(e.message, 'error');
  document.body.dataset.state = 'error';
});
