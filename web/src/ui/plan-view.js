// @ts-check
// The Test plan's view (the Characterize tab): runs the plan shown in the plan editor on the worker pool, shows
// partial results while it runs, and the summary, notes, plots and CSV files of its results. It reads the page's
// state from the store and changes none of it; a switch of save (the store's 'replace') clears its results.
import { Type } from '../core/protocol.js';
import { defaultPoolSize, planPoolSize } from '../core/pool.js';
import { planFiles } from '../models.js';
import { download } from '../app/export.js';
import { panelFigure } from '../plots/panels.js';

const $ = (id) => document.getElementById(id);

/**
 * @param {object} ctx
 * @param {import('../app/store.js').Store} ctx.store
 * @param {import('../core/client.js').CoreService} ctx.core  merges results and makes their CSV files
 * @param {import('../core/pool.js').WorkerPool} ctx.pool   runs the plan's points
 * @param {{model: {text: string}, plan: {text: string, showDiagnostics: (d: any[]) => void}}} ctx.editors
 * @param {(diagnostics: any[], editor: any) => void} ctx.showProblems
 * @param {(which: string) => void} ctx.selectEditor
 * @param {(element: HTMLElement, figure: {data: any[], layout: object}) => unknown} ctx.draw  draws a figure in the page's theme
 */
export function createPlanView({ store, core, pool, editors, showProblems, selectEditor, draw }) {
  let lastResults = null;

  /// A plan and the files it may read, with a key naming that content so workers compile it once per run.
  function planArgs() {
    const args = {
      text: editors.plan.text,
      file: store.state.plan.file,
      files: planFiles({ [store.state.model.file]: editors.model.text }),
      seed: -1,
    };
    // The gallery's files never change in a session; the plan and the edited model are what can.
    args.key = JSON.stringify([args.text, args.file, store.state.model.file, editors.model.text]);
    return args;
  }

  async function runPlan() {
    const args = planArgs();
    if (!args.text.trim() || args.text.split('\n').every((l) => !l.trim() || l.trimStart().startsWith('#'))) {
      selectEditor('plan');
      $('plan-status').textContent =
        'The test plan is empty: write one in the Test plan tab (models with an excitation port get a starter plan)';
      return;
    }
    const started = performance.now();
    let plan;
    try {
      plan = await core.call(Type.planInfo, args);
    } catch (e) {
      const diagnostics = e.diagnostics ?? [];
      editors.plan.showDiagnostics(diagnostics);
      showProblems(diagnostics, editors.plan);
      selectEditor('plan');
      $('plan-status').textContent = diagnostics.length ? `${diagnostics.length} problem(s) in the plan` : e.message;
      return;
    }
    // The plan's solver.workers, when it gives one, sizes the pool for this run (capped by the machine's cores).
    const workers = planPoolSize(plan.workers, Number($('sweep-workers').value) || defaultPoolSize());
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
        const doc = await core.call(Type.merge, { ...args, points: points.map((p) => p ?? pending) });
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
        points.map((_, i) => ({ type: Type.runPoint, args: { ...args, point: i } })),
        {
          onResult: (i, result) => {
            points[i] =
              typeof result === 'string' ? result : JSON.stringify({ error: result.error?.message ?? 'failed' });
            if (i % 4 === 0) mergePartial();
          },
          onProgress: (done, total) => {
            $('plan-progress').value = total ? done / total : 1;
            // The time left, from the pace so far (after a few points, so the first slow compile does not dominate).
            const elapsed = (performance.now() - started) / 1000;
            const left = done >= Math.min(3, total) && done < total ? (elapsed / done) * (total - done) : null;
            $('plan-status').textContent =
              `${done}/${total} points${left !== null ? ` · about ${left < 60 ? `${Math.ceil(left)} s` : `${Math.round(left / 60)} min`} left` : ''}`;
          },
        },
      );
      dirty = false;
      await merging;
      const doc = await core.call(Type.merge, { ...args, points });
      renderResults(doc, false);
      const ms = performance.now() - started;
      $('plan-status').dataset.ms = ms.toFixed(1);
      $('plan-status').textContent =
        `${plan.points} points in ${(ms / 1000).toFixed(2)} s on ${Math.min(workers, plan.points)} worker${workers === 1 ? '' : 's'}`;
    } catch (e) {
      const finished = points.filter(Boolean).length;
      if (e.cancelled && finished) {
        // Cancel keeps what finished: the merged results of the points done, the rest marked pending.
        dirty = false;
        await merging;
        const doc = await core.call(Type.merge, { ...args, points: points.map((p) => p ?? pending) }).catch(() => null);
        if (doc) renderResults(doc, false);
        $('plan-status').textContent = `Cancelled: the ${finished} of ${plan.points} points that finished are kept`;
      } else $('plan-status').textContent = e.cancelled ? 'Cancelled' : e.message;
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
    renderNotes(doc, partial);
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
      draw(div, figure);
    });
    for (const extra of existing.slice(doc.plots.length)) extra.remove();
    if (!partial) renderCsvLinks(doc);
  }

  /// Words for results that would otherwise be an empty plot: a response that is zero at every frequency, a test that
  /// failed (with the core's messages).
  function renderNotes(doc, partial) {
    const notes = $('plan-notes');
    notes.replaceChildren();
    if (partial) return;
    const output = doc.plan?.excitation?.output ?? doc.excitation?.output ?? 'the output';
    for (const t of doc.tests) {
      let text = '';
      if (t.metrics && t.metrics.peak_gain === 0)
        text =
          `${t.name}: the response of ${output} to the excitation is zero at every frequency, so its plot is empty. ` +
          `This output does not move with this input at the operating point: measure another output (a position on the driven component) in the plan's excitation.`;
      else if (t.status !== 'ok' && t.messages?.length) text = `${t.name}: ${t.messages.join('; ')}`;
      if (!text) continue;
      const item = document.createElement('li');
      item.dataset.test = t.name;
      item.textContent = text;
      notes.append(item);
    }
  }

  async function renderCsvLinks(doc) {
    const list = $('results-csv');
    list.replaceChildren();
    const files = await core.call(Type.resultsCsv, { results: doc });
    for (const f of files) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = f.name;
      b.dataset.file = f.name;
      b.addEventListener('click', () => download(f.name, f.text, 'text/csv'));
      list.append(b);
    }
  }

  function reset() {
    lastResults = null;
    $('panels').replaceChildren();
    $('plan-summary').replaceChildren();
    $('plan-notes').replaceChildren();
  }
  store.subscribe(({ action }) => {
    if (action === 'replace') reset();
  });

  $('plan-run').addEventListener('click', runPlan);
  $('plan-cancel').addEventListener('click', () => pool.cancel());
  $('results-json').addEventListener(
    'click',
    () => lastResults && download('results.json', `${JSON.stringify(lastResults, null, 1)}\n`, 'application/json'),
  );

  return { run: runPlan, planArgs };
}
