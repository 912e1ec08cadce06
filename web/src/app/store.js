// The workbench's state behind named actions (pure: no DOM; unit-tested under Node). Every change to what the user
// edits and sees goes through an action, and subscribers hear each one: autosave is one subscriber, the undo
// buttons another. Parameter changes are recorded for undo and redo (app/works.js, History).
import { History } from './works.js';
import { runActions } from './runs.js';

/// Overrides the text has made stale: a value whose text changed between two compiles (L: 2.0 typed after L's
/// slider was dragged) is the text's again. `before` and `after` are the settable variables of the two compiles.
export function staleOverrides(overrides, before, after) {
  const old = new Map(before.map((v) => [v.key, v]));
  const known = new Set(after.map((v) => v.key));
  const stale = [];
  for (const key of Object.keys(overrides)) {
    if (!known.has(key)) {
      stale.push(key);
      continue;
    }
    const was = old.get(key);
    const now = after.find((v) => v.key === key);
    if (was && (was.value !== now.value || was.unit !== now.unit)) stale.push(key);
  }
  return stale;
}

export const actions = {
  setParam(state, history, key, value) {
    history.record(state.overrides, key);
    state.overrides[key] = value;
  },
  resetParam(state, history, key) {
    history.record(state.overrides, null);
    delete state.overrides[key];
  },
  undo(state, history) {
    const overrides = history.undo(state.overrides);
    if (!overrides) return false;
    state.overrides = overrides;
    return true;
  },
  redo(state, history) {
    const overrides = history.redo(state.overrides);
    if (!overrides) return false;
    state.overrides = overrides;
    return true;
  },
  /// After a compile: drops overrides the text made stale or that name nothing, and takes the text's model name.
  compiled(state, history, { name, before, after }) {
    for (const key of staleOverrides(state.overrides, before, after)) delete state.overrides[key];
    state.model.name = name;
  },
  setModelText(state, history, text) {
    state.model.text = text;
  },
  setPlanText(state, history, text) {
    state.plan.text = text;
  },
  setSetting(state, history, key, value) {
    state.settings[key] = value;
  },
  setView(state, history, key, value) {
    state.view[key] = value;
  },
  setSweep(state, history, key, value) {
    state.view.sweep[key] = value;
  },
  // Kept runs to compare (app/runs.js): keepRun, renameRun, showRun, deleteRun.
  ...runActions,
};

export class Store {
  constructor(state, { history = new History() } = {}) {
    this.state = state;
    this.history = history;
    this.listeners = new Set();
  }

  /// Runs a named action on the state and tells every subscriber ({action, args}). Returns the action's result.
  dispatch(name, ...args) {
    const action = actions[name];
    if (!action) throw new Error(`no action ${name}`);
    const result = action(this.state, this.history, ...args);
    for (const listener of this.listeners) listener({ action: name, args, state: this.state });
    return result;
  }

  /// Shows another state (another save): history starts afresh; subscribers hear {action: 'replace'}.
  replace(state) {
    this.state = state;
    this.history.clear();
    for (const listener of this.listeners) listener({ action: 'replace', args: [], state });
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
