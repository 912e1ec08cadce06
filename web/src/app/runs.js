// Kept runs: solutions the user keeps under a name to compare with what they change next (pure: no DOM, no workers;
// unit-tested under Node). A kept run is stored as what reproduces it (the model text, the solver options, the
// coherent values set), never as its numbers: the core is deterministic, so solving it again after a reload gives
// the same curves, and a save stays small. They live in the state of a save (state.runs), so each model's save has
// its own, and change only through the store's actions (keepRun, renameRun, showRun, deleteRun).

/// At most this many kept runs per save: a plot with more dashed copies of each variable cannot be read.
export const MAX_KEPT_RUNS = 8;

/// Dash patterns of kept runs, in order: each run keeps its pattern while it exists, colour stays the variable's.
/// (The previous run, overlaid when "overlay previous run" is ticked, is dotted: no kept run is.)
export const RUN_DASHES = [
  'dash',
  'dashdot',
  'longdash',
  'longdashdot',
  '12px,4px,2px,4px,2px,4px',
  '6px,2px',
  '14px,6px',
  '3px,3px,9px,3px',
];

/// The last part of a key (valve.poppet.k -> k): what a reader calls the parameter.
export function shortName(key) {
  return String(key).split('.').at(-1);
}

/// A number as a label writes it: at most 4 significant digits, no float noise.
export function labelNumber(v) {
  return typeof v === 'number' ? String(Number(v.toPrecision(4))) : String(v);
}

/// What a run changed from the model as written, in a few words: "k = 2 kN/m", "k = 2 kN/m, c = 40 N*s/m",
/// "k = 2 kN/m and 3 more", "method Rodas5P"; "as written" when nothing changed. `info` is the compiled model
/// (its parameters and states carry their display unit), `overrides` the user's values in display units.
export function changeLabel(info, overrides = {}, settings = {}) {
  const variables = new Map([...(info?.parameters ?? []), ...(info?.states ?? [])].map((v) => [v.key, v]));
  const names = Object.keys(overrides);
  const short = names.map((k) => shortName(k));
  const parts = names.map((key, i) => {
    // Two keys with the same last part (m1.mass.m, m2.mass.m) keep their entity to tell them apart.
    const label = short.filter((s) => s === short[i]).length > 1 ? `${key.split('.')[0]}.${short[i]}` : short[i];
    const unit = variables.get(key)?.unit;
    return `${label} = ${labelNumber(overrides[key])}${unit && unit !== '1' ? ` ${unit}` : ''}`;
  });
  for (const [key, words] of [
    ['method', 'method'],
    ['rtol', 'rtol'],
    ['atol', 'atol'],
    ['t_end', 't end'],
  ])
    if (settings?.[key]) parts.push(`${words} ${settings[key]}`);
  if (!parts.length) return 'as written';
  return parts.length <= 2 ? parts.join(', ') : `${parts.slice(0, 2).join(', ')} and ${parts.length - 2} more`;
}

/// A name not yet taken among `taken`: the name itself, else "name (2)", "name (3)", ...
export function uniqueName(name, taken) {
  const names = new Set(taken);
  if (!names.has(name)) return name;
  for (let n = 2; ; ++n) if (!names.has(`${name} (${n})`)) return `${name} (${n})`;
}

/// A kept run's record. `run`: {id, name, text, file, options, set}; the name defaults to what changed.
export function keptRun({ id, name, text, file, options = {}, set = {}, dash }) {
  return {
    id,
    name,
    text,
    file,
    options: structuredClone(options),
    set: structuredClone(set),
    visible: true,
    dash: dash ?? 0,
  };
}

/// The first dash pattern no kept run uses (so a new run never looks like one still on the plot).
export function freeDash(runs) {
  const used = new Set(runs.map((r) => r.dash));
  for (let i = 0; i < RUN_DASHES.length; ++i) if (!used.has(i)) return i;
  return runs.length % RUN_DASHES.length;
}

/// The state's kept runs as a list a save can hold (drops anything malformed from an older or damaged save).
export function normalizeRuns(runs) {
  if (!Array.isArray(runs)) return [];
  return runs
    .filter((r) => r && typeof r.id === 'string' && typeof r.text === 'string' && typeof r.name === 'string')
    .slice(0, MAX_KEPT_RUNS)
    .map((r) => ({
      ...r,
      visible: r.visible !== false,
      dash: Number.isInteger(r.dash) ? r.dash : 0,
      options: r.options ?? {},
      set: r.set ?? {},
    }));
}

export const runActions = {
  /// Keeps a run (the newest last); false when the save already holds MAX_KEPT_RUNS.
  keepRun(state, history, run) {
    state.runs = state.runs ?? [];
    if (state.runs.length >= MAX_KEPT_RUNS) return false;
    state.runs.push({
      ...run,
      name: uniqueName(
        run.name,
        state.runs.map((r) => r.name),
      ),
    });
    return true;
  },
  renameRun(state, history, id, name) {
    const run = state.runs?.find((r) => r.id === id);
    if (!run || !String(name).trim()) return false;
    run.name = uniqueName(
      String(name).trim(),
      state.runs.filter((r) => r !== run).map((r) => r.name),
    );
    return true;
  },
  showRun(state, history, id, visible) {
    const run = state.runs?.find((r) => r.id === id);
    if (!run) return false;
    run.visible = Boolean(visible);
    return true;
  },
  deleteRun(state, history, id) {
    const before = state.runs?.length ?? 0;
    state.runs = (state.runs ?? []).filter((r) => r.id !== id);
    return state.runs.length < before;
  },
};
