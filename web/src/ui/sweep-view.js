// @ts-check
// The Sweep tab: one parameter (or initial value) over a range, one run per value on the worker pool, the family of
// curves drawn as runs come in, and its CSV. The sweep's settings are the store's (view.sweep, view.workers), changed
// only through its setSweep and setView actions; the view reads the state when it acts, never keeps a part of it
// (another save may replace it).
import { Type } from '../core/protocol.js';
import { defaultPoolSize } from '../core/pool.js';
import { coherentSet } from '../app/units.js';
import { download, sweepCsv } from '../app/export.js';
import { sweepFigure } from '../plots/timeseries.js';
import { option } from './dom.js';

const $ = (id) => document.getElementById(id);

/**
 * @param {object} ctx
 * @param {import('../app/store.js').Store} ctx.store
 * @param {import('../core/pool.js').WorkerPool} ctx.pool
 * @param {{model: {text: string}}} ctx.editors
 * @param {() => any} ctx.model           the compiled model's description (null until it compiles)
 * @param {() => Promise<boolean>} ctx.compileModel
 * @param {() => object} ctx.solveOptions the run controls' solver options
 * @param {(element: HTMLElement, figure: {data: any[], layout: object}) => unknown} ctx.drawFigure
 */
export function createSweepView({ store, pool, editors, model, compileModel, solveOptions, drawFigure }) {
  let lastSweep = null; // {info, runs, key, param} of the last sweep, for its CSV

  function sweepValues() {
    const s = store.state.view.sweep;
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
    if (!model() && !(await compileModel())) return;
    let values;
    try {
      values = sweepValues();
    } catch (e) {
      $('sweep-status').textContent = e.message;
      return;
    }
    const s = store.state.view.sweep;
    const workers = Number($('sweep-workers').value) || defaultPoolSize();
    pool.resize(workers);
    const base = { text: editors.model.text, file: store.state.model.file, options: solveOptions() };
    const sweepInfo = model();
    // The range is typed in the parameter's display unit, and so are the runs' labels; the core gets coherent values.
    const tasks = values.map((v) => ({
      type: Type.solveText,
      args: { ...base, settings: { set: coherentSet(sweepInfo, { ...store.state.overrides, [s.param]: v }) } },
    }));
    const runs = values.map((value) => ({ value, solution: null }));
    lastSweep = { info: sweepInfo, runs, key: $('sweep-key').value, param: s.param };
    $('sweep-csv').disabled = false;
    const draw = () => {
      const figure = sweepFigure(sweepInfo, runs, $('sweep-key').value, s.param);
      return drawFigure($('sweep-plot'), figure);
    };
    let drawing = null;
    const drawSoon = () => {
      drawing =
        drawing ??
        new Promise((resolve) => requestAnimationFrame(() => resolve(draw()))).finally(() => (drawing = null));
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
      $('sweep-status').textContent =
        `${values.length} runs in ${(ms / 1000).toFixed(2)} s on ${Math.min(workers, values.length)} worker${workers === 1 ? '' : 's'}${failed ? `; ${failed} failed` : ''}`;
    } catch (e) {
      $('sweep-status').textContent = e.cancelled ? 'Cancelled' : e.message;
    } finally {
      $('sweep-run').disabled = false;
      $('sweep-cancel').disabled = true;
    }
  }

  function fillSweepRange(reset) {
    const info = model();
    const sweep = store.state.view.sweep;
    const variable = [...info.parameters, ...info.states].find((v) => v.key === sweep.param);
    if (!variable) return;
    const base = store.state.overrides[variable.key] ?? variable.value;
    if (reset || sweep.from === '' || sweep.to === '') {
      store.dispatch('setSweep', 'from', String(base === 0 ? -1 : Number((base * 0.5).toPrecision(6))));
      store.dispatch('setSweep', 'to', String(base === 0 ? 1 : Number((base * 2).toPrecision(6))));
    }
    $('sweep-from').value = sweep.from;
    $('sweep-to').value = sweep.to;
  }

  /// The sweep's controls for a newly compiled model: its parameters and initial values to sweep, its states and
  /// outputs to plot (the sweep is kept when the model still has its parameter).
  function render(info) {
    const measurable = [...info.states, ...info.outputs].map((v) => v.key);
    const sweepParam = $('sweep-param');
    sweepParam.replaceChildren(
      ...[...info.parameters, ...info.states].map((v) => option(v.key, `${v.key}${v.unit ? ` [${v.unit}]` : ''}`)),
    );
    const sweep = store.state.view.sweep;
    if (![...info.parameters, ...info.states].some((v) => v.key === sweep.param)) {
      const first = info.parameters[0] ?? info.states[0];
      store.dispatch('setSweep', 'param', first?.key ?? '');
      store.dispatch('setSweep', 'from', '');
      store.dispatch('setSweep', 'to', '');
    }
    sweepParam.value = sweep.param;
    fillSweepRange(false);
    $('sweep-key').replaceChildren(...measurable.map((k) => option(k)));
    $('sweep-key').value = measurable.includes(sweep.key) ? sweep.key : measurable[0];
    $('sweep-count').value = sweep.count;
    $('sweep-spacing').value = sweep.spacing;
  }

  // state is replaced when another save is shown: handlers read it when they run, never capture its parts.
  $('sweep-param').addEventListener('change', () => {
    store.dispatch('setSweep', 'param', $('sweep-param').value);
    fillSweepRange(true);
  });
  for (const [id, key] of [
    ['sweep-from', 'from'],
    ['sweep-to', 'to'],
    ['sweep-count', 'count'],
    ['sweep-spacing', 'spacing'],
    ['sweep-key', 'key'],
  ])
    $(id).addEventListener('change', () => {
      store.dispatch('setSweep', key, $(id).value);
    });
  const workers = $('sweep-workers');
  const cores = navigator.hardwareConcurrency || 2;
  for (let n = 1; n <= Math.max(cores, 2); ++n) workers.append(option(String(n)));
  workers.value = String(store.state.view.workers || defaultPoolSize());
  workers.addEventListener('change', () => {
    store.dispatch('setView', 'workers', Number(workers.value));
  });
  $('sweep-form').addEventListener('submit', (event) => {
    event.preventDefault();
    runSweep();
  });
  $('sweep-cancel').addEventListener('click', () => pool.cancel());
  $('sweep-csv').addEventListener(
    'click',
    () =>
      lastSweep &&
      download(
        `${store.state.model.name}-sweep.csv`,
        sweepCsv(lastSweep.info, lastSweep.runs, lastSweep.key, lastSweep.param),
        'text/csv',
      ),
  );

  return { run: runSweep, render };
}
