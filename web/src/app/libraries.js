// The libraries a model uses (`use: [pneumatic, ./parts.yaml]`), read from the text as typed (the editor needs them
// before the model compiles): which are named, what they declare, what completion offers. The standard library's
// texts come from the core (standardLibraries()), the same files as models/lib/, so the page never has its own copy.

/// The `use:` entries of a model or library text, in order ([] when there are none).
export function usedLibraries(text) {
  const flow = /^use:[ \t]*\[([^\]\n]*)\]/m.exec(text);
  const block = /^use:[ \t]*(?:#.*)?\n((?:[ \t]+-[^\n]*\n?)+)/m.exec(text);
  const entries = flow ? flow[1].split(',') : block ? block[1].split('\n').map((l) => l.replace(/^\s*-/, '')) : [];
  return entries
    .map((e) =>
      e
        .replace(/#.*/, '')
        .trim()
        .replace(/^["']|["']$/g, ''),
    )
    .filter(Boolean);
}

/// The names declared in a top-level section (`components`, `systems`) of a YAML text, block or flow style.
export function declaredNames(text, section) {
  const start = new RegExp(`^${section}:[ \\t]*(\\{.*)?$`, 'm').exec(text);
  if (!start) return [];
  if (start[1]) {
    // A flow map on one line: the keys at the first level of braces.
    const names = [];
    let depth = 0;
    const flow = start[1];
    for (let i = 0; i < flow.length; ++i) {
      const c = flow[i];
      if (c === '{' || c === '[') ++depth;
      else if (c === '}' || c === ']') --depth;
      if (depth === 1 && (c === '{' || c === ',')) {
        const m = /^\s*([A-Za-z_]\w*)\s*:/.exec(flow.slice(i + 1));
        if (m) names.push(m[1]);
      }
    }
    return names;
  }
  const names = [];
  for (const line of text.slice(start.index + start[0].length + 1).split('\n')) {
    if (/^\S/.test(line)) break; // the next top-level key
    const m = /^ {2}([A-Za-z_]\w*)\s*:/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

/// The standard libraries a model uses: [{name, text}] for those the app has, in `use:` order. Library files of
/// the user's (paths) are not the app's to show.
export function standardLibrariesUsed(modelText, stdlib) {
  return usedLibraries(modelText)
    .filter((name) => Object.hasOwn(stdlib ?? {}, name))
    .map((name) => ({ name, text: stdlib[name] }));
}

/// What completion offers for a component (section `components`) or system (`systems`) name in a model: the model's
/// own names, each library name that one used library alone declares, and every library name qualified
/// (`pneumatic.volume`), which is always unambiguous.
export function libraryCompletions(modelText, stdlib, section) {
  const own = declaredNames(modelText, section);
  const libs = standardLibrariesUsed(modelText, stdlib);
  const count = new Map();
  for (const lib of libs) for (const n of declaredNames(lib.text, section)) count.set(n, (count.get(n) ?? 0) + 1);
  const out = own.map((label) => ({ label, detail: 'this model' }));
  for (const lib of libs)
    for (const n of declaredNames(lib.text, section)) {
      if (count.get(n) === 1 && !own.includes(n)) out.push({ label: n, detail: lib.name });
      out.push({ label: `${lib.name}.${n}`, detail: lib.name });
    }
  return out;
}
