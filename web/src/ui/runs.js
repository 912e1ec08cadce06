// The kept runs beside the simulation plot: "Keep run" keeps the run shown under a name (by default what changed,
// "k = 2 kN/m"), and each kept run is listed with a box that shows or hides it on the plot, its name to rename it,
// and a button to delete it. State changes go through the store's actions (app/runs.js); the solutions live here,
// for this session: a kept run from a save is solved again from its record when it is first shown.
import './runs.css';
import { MAX_KEPT_RUNS, RUN_DASHES, changeLabel, freeDash, keptRun } from '../app/runs.js';

export class KeptRunsPanel {
  /// host: the element to fill. hooks: {state(), act(name, ...args), current() -> {info, solution, options, set,
  /// text, file} of the run shown, solve(run) -> Promise<{info, solution}>, redraw(), status(text, kind)}.
  constructor(host, hooks) {
    this.host = host;
    this.hooks = hooks;
    this.solved = new Map(); // run id -> {info, solution}
    this.pending = new Map(); // run id -> Promise
    host.classList.add('kept-runs');
    this.keep = document.createElement('button');
    this.keep.type = 'button';
    this.keep.className = 'keep-run';
    this.keep.textContent = 'Keep run';
    this.keep.title = 'Keep the run shown under a name, to compare with what you change next (saved with this model)';
    this.keep.addEventListener('click', () => this.keepShown());
    this.list = document.createElement('ul');
    this.list.className = 'kept-list';
    this.list.setAttribute('aria-label', 'kept runs');
    host.replaceChildren(this.keep, this.list);
  }

  get runs() {
    return this.hooks.state().runs ?? [];
  }

  /// Keeps the run on the plot now; returns the kept run's record, or null.
  keepShown() {
    const shown = this.hooks.current();
    if (!shown) {
      this.hooks.status('Nothing to keep yet: run the model first', 'warn');
      return null;
    }
    if (this.runs.length >= MAX_KEPT_RUNS) {
      this.hooks.status(`At most ${MAX_KEPT_RUNS} kept runs per model: delete one to keep another`, 'warn');
      return null;
    }
    const id = `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
    const run = keptRun({
      id,
      name: changeLabel(shown.info, shown.overrides, shown.settings),
      text: shown.text,
      file: shown.file,
      options: shown.options,
      set: shown.set,
      dash: freeDash(this.runs),
    });
    if (!this.hooks.act('keepRun', run)) return null;
    this.solved.set(id, { info: shown.info, solution: shown.solution });
    const kept = this.runs.find((r) => r.id === id);
    this.hooks.status(`Kept “${kept.name}”: change something and compare (rename or hide it in the list)`, 'ok');
    this.render();
    this.hooks.redraw();
    return kept;
  }

  /// Forgets the solutions of this session (another save is shown) and lists that save's runs.
  reset() {
    this.solved.clear();
    this.pending.clear();
    this.render();
  }

  /// The visible kept runs that are solved, for the plot: [{name, dash, info, solution}]. Starts solving any visible
  /// run not solved yet (redrawing when it arrives).
  visible() {
    const out = [];
    for (const run of this.runs) {
      if (!run.visible) continue;
      const solved = this.solved.get(run.id);
      if (solved) out.push({ name: run.name, dash: run.dash, ...solved });
      else this.solveLater(run);
    }
    return out;
  }

  solveLater(run) {
    if (this.pending.has(run.id)) return;
    const item = this.list.querySelector(`[data-run="${CSS.escape(run.id)}"]`);
    item?.classList.add('solving');
    const promise = this.hooks
      .solve(run)
      .then((solved) => {
        if (!this.runs.some((r) => r.id === run.id)) return;
        this.solved.set(run.id, solved);
        this.hooks.redraw();
      })
      .catch((e) => {
        if (e?.cancelled) return;
        this.hooks.status(`The kept run “${run.name}” could not be solved again: ${e?.message ?? e}`, 'error');
      })
      .finally(() => {
        this.pending.delete(run.id);
        this.list.querySelector(`[data-run="${CSS.escape(run.id)}"]`)?.classList.remove('solving');
      });
    this.pending.set(run.id, promise);
  }

  render() {
    const runs = this.runs;
    this.keep.disabled = runs.length >= MAX_KEPT_RUNS;
    this.list.replaceChildren(
      ...runs.map((run) => {
        const item = document.createElement('li');
        item.dataset.run = run.id;
        const show = document.createElement('input');
        show.type = 'checkbox';
        show.checked = run.visible;
        show.setAttribute('aria-label', `show ${run.name} on the plot`);
        show.addEventListener('change', () => {
          this.hooks.act('showRun', run.id, show.checked);
          this.hooks.redraw();
        });
        const swatch = dashSample(run.dash);
        const name = document.createElement('input');
        name.type = 'text';
        name.className = 'run-name';
        name.value = run.name;
        name.size = Math.min(28, Math.max(8, run.name.length + 1));
        name.setAttribute('aria-label', `name of the kept run ${run.name}`);
        name.addEventListener('change', () => {
          if (this.hooks.act('renameRun', run.id, name.value)) {
            this.render();
            this.hooks.redraw();
          } else name.value = run.name;
        });
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'run-delete';
        remove.textContent = '✕';
        remove.setAttribute('aria-label', `delete the kept run ${run.name}`);
        remove.title = 'Delete this kept run';
        remove.addEventListener('click', () => {
          this.hooks.act('deleteRun', run.id);
          this.solved.delete(run.id);
          this.render();
          this.hooks.redraw();
          this.keep.focus();
        });
        item.append(show, swatch, name, remove);
        return item;
      }),
    );
  }
}

/// A short line in the run's dash pattern, as the plot draws it (the legend's sample, beside its name in the list).
function dashSample(index) {
  const pattern = ['6 3', '6 3 2 3', '10 4', '10 3 2 3', '12 4 2 4 2 4', '6 2', '14 6', '3 3 9 3'][index % 8];
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'run-dash');
  svg.setAttribute('width', '30');
  svg.setAttribute('height', '8');
  svg.setAttribute('aria-hidden', 'true');
  svg.dataset.dash = RUN_DASHES[index % RUN_DASHES.length];
  const line = document.createElementNS(ns, 'line');
  for (const [k, v] of Object.entries({
    x1: 0,
    y1: 4,
    x2: 30,
    y2: 4,
    stroke: 'currentColor',
    'stroke-width': 2,
    'stroke-dasharray': pattern,
  }))
    line.setAttribute(k, v);
  svg.append(line);
  return svg;
}
