// Completion inside a system's equations and events: `der(` at the start of an equation, the system's slot names
// (`slots: [c: loop]` offers `c`, accepted as `c.`), after `c.` the fields of the slot's component (states, params,
// algebraics, discrete, outputs; inside `der(` only states, inside `residual(` only algebraics), the system's local
// names, the model's own `functions:` and the core's function library with argument lists (functions_json(), the
// list `numen functions` prints). Pure: the document is read with the same YAML parser as the editor's, and the
// options are plain objects (`template` is a CodeMirror snippet: `atan2(${y}, ${x})`).
import { parser } from '@lezer/yaml';

const unquote = (s) => {
  const t = s.trim();
  if (t.length >= 2 && ((t[0] === '"' && t.at(-1) === '"') || (t[0] === "'" && t.at(-1) === "'")))
    return t.slice(1, -1);
  return t;
};

const VALUE_NODES = new Set([
  'BlockMapping',
  'FlowMapping',
  'BlockSequence',
  'FlowSequence',
  'Literal',
  'QuotedLiteral',
  'BlockLiteral',
]);

/// A lezer YAML node as a plain value (maps, lists, strings; null for what is missing). Tolerant of half-typed text.
export function nodeValue(text, node) {
  if (!node) return null;
  switch (node.name) {
    case 'Document':
    case 'Item':
    case 'Tagged':
    case 'Anchored': {
      for (let c = node.firstChild; c; c = c.nextSibling)
        if (VALUE_NODES.has(c.name) || c.name === 'Tagged') return nodeValue(text, c);
      return null;
    }
    case 'BlockMapping':
    case 'FlowMapping': {
      const out = {};
      for (let pair = node.firstChild; pair; pair = pair.nextSibling) {
        if (pair.name !== 'Pair') continue;
        const key = pair.getChild('Key');
        if (!key) continue;
        let value = null;
        for (let v = key.nextSibling; v; v = v.nextSibling)
          if (VALUE_NODES.has(v.name) || v.name === 'Tagged') value = v;
        out[unquote(text.slice(key.from, key.to))] = nodeValue(text, value);
      }
      return out;
    }
    case 'BlockSequence':
    case 'FlowSequence': {
      const out = [];
      for (let item = node.firstChild; item; item = item.nextSibling)
        if (item.name === 'Item') out.push(nodeValue(text, item));
      return out;
    }
    case 'Literal':
    case 'QuotedLiteral':
      return unquote(text.slice(node.from, node.to));
    case 'BlockLiteral':
      return text.slice(node.from, node.to).replace(/^[|>][^\n]*\n/, '');
    default:
      return null;
  }
}

/// The whole document as a plain value (or null).
export function documentValue(text, tree = parser.parse(text)) {
  const doc = tree.topNode.getChild('Document');
  return doc ? nodeValue(text, doc) : null;
}

/// The path of keys and list indices from the root to `node`.
function pathOf(text, node) {
  const path = [];
  for (let n = node; n && n.parent; n = n.parent) {
    const parent = n.parent;
    if (n.name === 'Pair') {
      const key = n.getChild('Key');
      path.unshift(key ? unquote(text.slice(key.from, key.to)) : '');
    } else if (n.name === 'Item') {
      let index = 0;
      for (let s = n.prevSibling; s; s = s.prevSibling) if (s.name === 'Item') index += 1;
      path.unshift(index);
    } else if (n.name === 'Key' && parent.name === 'Pair') {
      path.unshift({ key: true });
      n = parent; // the key's own pair is not a segment of a value's path
    }
  }
  return path;
}

/// Where an expression is being typed: {system, kind: 'equation' | 'event', head} (head: the expression up to the
/// cursor), or null outside systems' equations, events' `when:`/`zero:`/`do:`, and keys.
export function equationContext(doc, pos, tree = parser.parse(doc)) {
  let node = tree.resolveInner(pos, -1);
  // The scalar being typed; on an empty `- ` item the cursor sits in the sequence itself.
  while (
    node &&
    ![
      'Literal',
      'QuotedLiteral',
      'Item',
      'BlockSequence',
      'FlowSequence',
      'Pair',
      'BlockMapping',
      'FlowMapping',
    ].includes(node.name)
  )
    node = node.parent;
  if (!node) return null;
  let head = '';
  if (node.name === 'Literal' || node.name === 'QuotedLiteral') {
    if (pos < node.from || pos > node.to) return null;
    head = doc.slice(node.from + (node.name === 'QuotedLiteral' ? 1 : 0), pos);
    if (node.name === 'QuotedLiteral' && pos === node.to && /["']$/.test(doc.slice(node.from + 1, pos))) return null; // after the closing quote
    if (node.parent?.name === 'Key') return null;
  } else {
    // Nothing typed yet on this item: only `- ` (block) or `[` / `, ` (flow) before the cursor.
    const lineStart = doc.lastIndexOf('\n', pos - 1) + 1;
    const before = doc.slice(lineStart, pos);
    if (!/^\s*-\s*["']?$/.test(before) && !/[[,]\s*["']?$/.test(before)) return null;
    head = '';
  }
  const path = pathOf(doc, node);
  if (path.some((s) => typeof s === 'object')) return null;
  if (path[0] !== 'systems' || typeof path[1] !== 'string') return null;
  const system = path[1];
  if (path[2] === 'equations') return { system, kind: 'equation', head };
  if (path[2] === 'events' && ['when', 'zero', 'do'].includes(path[4]))
    return { system, kind: path[4] === 'do' ? 'assignment' : 'condition', head };
  return null;
}

/// The slots of a system ({slot: component}): `[a: mass, s: spring]` or `{a: mass}`.
export function systemSlots(model, system) {
  const slots = model?.systems?.[system]?.slots;
  const out = {};
  if (Array.isArray(slots)) {
    for (const s of slots)
      if (s && typeof s === 'object') for (const [k, v] of Object.entries(s)) out[k] = typeof v === 'string' ? v : '';
  } else if (slots && typeof slots === 'object')
    for (const [k, v] of Object.entries(slots)) out[k] = typeof v === 'string' ? v : '';
  return out;
}

const KINDS = [
  ['states', 'state'],
  ['params', 'param'],
  ['algebraics', 'algebraic'],
  ['discrete', 'discrete'],
  ['outputs', 'output'],
];

/// The unit written in a field's value: `0 m`, `{ value: 1, unit: m }`, an output's `J` or `{ unit: J }`.
function fieldUnit(kind, spec) {
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) return typeof spec.unit === 'string' ? spec.unit : '';
  if (typeof spec !== 'string') return '';
  if (kind === 'outputs') return spec;
  const m = /^\s*[-+]?[\d.]+(?:[eE][-+]?\d+)?\s+(\S.*)$/.exec(spec);
  return m ? m[1].trim() : '';
}

/// The fields of a component: [{name, kind ('state', 'param', ...), unit, description}].
export function componentFields(model, component) {
  const c = model?.components?.[component];
  if (!c || typeof c !== 'object') return [];
  const out = [];
  for (const [section, kind] of KINDS) {
    const fields = c[section];
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) continue;
    for (const [name, spec] of Object.entries(fields)) {
      if (!/^[A-Za-z_]\w*$/.test(name)) continue;
      const description =
        spec && typeof spec === 'object' && typeof spec.description === 'string' ? spec.description : '';
      out.push({ name, kind, unit: fieldUnit(section, spec), description });
    }
  }
  return out;
}

/// Local names of a system: `F = ...` lines of its equations (not `a.out = ...`, not `0 = ...`).
export function systemLocals(model, system) {
  const eqs = model?.systems?.[system]?.equations;
  const list = Array.isArray(eqs) ? eqs : typeof eqs === 'string' ? [eqs] : [];
  const out = [];
  for (const e of list) {
    const m = typeof e === 'string' ? /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(e) : null;
    if (m && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

/// The model's own functions as [{name, args}]: the keys `name(a, b):` of its `functions:` section (read from the
/// text: a key with parentheses is one only there, and the YAML parser does not always take it as a key).
export function userFunctions(doc) {
  const out = [];
  for (const m of doc.matchAll(/^[ \t]*["']?([A-Za-z_]\w*)\s*\(([\w\s,]*)\)["']?\s*:/gm))
    if (!out.some((f) => f.name === m[1]))
      out.push({
        name: m[1],
        args: m[2]
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean),
      });
  return out;
}

/// A snippet with a field per argument (`...` of a variadic function becomes nothing: min(${a}, ${b})).
export function functionTemplate(name, args) {
  const fields = args.filter((a) => a !== '...').map((a) => `\${${a}}`);
  return `${name}(${fields.join(', ')})`;
}

const FIELD_TYPE = {
  state: 'variable',
  param: 'constant',
  algebraic: 'variable',
  discrete: 'variable',
  output: 'property',
};

/// Completion options for the expression text `head` typed so far in `system` of `model` (documentValue of the text
/// `doc`), with the core's function table `functions` ({functions, constants}). Returns {from (an offset into head), options} or null.
export function equationOptions(model, system, kind, head, functions, { explicit = false, doc = '' } = {}) {
  // Inside a unit literal (`9.81[m/s^2`) or a number, nothing of ours.
  if (/\[[^\]]*$/.test(head)) return null;
  const slots = systemSlots(model, system);
  const member = /([A-Za-z_]\w*)\.(\w*)$/.exec(head);
  if (member) {
    const [, slot, partial] = member;
    const component = slots[slot];
    if (component === undefined) return null;
    const before = head.slice(0, member.index);
    const only = /\bder\(\s*$/.test(before) ? 'state' : /\bresidual\(\s*$/.test(before) ? 'algebraic' : null;
    const options = componentFields(model, component)
      .filter((f) => (!only || f.kind === only) && f.name.startsWith(partial))
      .map((f) => ({
        label: f.name,
        type: FIELD_TYPE[f.kind],
        detail: `${f.kind}${f.unit ? ` [${f.unit}]` : ''}`,
        info: f.description || `${f.kind} of ${component}`,
        boost: f.kind === 'state' ? 1 : 0,
      }));
    return options.length ? { from: head.length - partial.length, options } : null;
  }
  const word = /[A-Za-z_]\w*$/.exec(head)?.[0] ?? '';
  const before = head.slice(0, head.length - word.length);
  if (/[\d.]$/.test(before)) return null; // 3e5, 1.5e, a number
  if (!word && !explicit) return null;
  const options = [];
  const atStart = /^\s*$/.test(before);
  if (atStart && kind === 'equation') {
    options.push(
      {
        label: 'der',
        type: 'keyword',
        detail: '(state) += expression',
        info: 'Adds to the time derivative of a state: der(a.x) += a.v',
        template: 'der(${state}) += ${expression}',
        boost: 3,
      },
      {
        label: 'residual',
        type: 'keyword',
        detail: '(algebraic) += expression',
        info: 'Adds to the algebraic equation 0 = sum of contributions',
        template: 'residual(${algebraic}) += ${expression}',
      },
    );
  }
  for (const [slot, component] of Object.entries(slots))
    options.push({
      label: slot,
      type: 'variable',
      detail: `slot: ${component}`,
      info: `The ${component} in this slot; type ${slot}. for its fields`,
      apply: `${slot}.`,
      boost: 2,
    });
  for (const name of systemLocals(model, system))
    if (!Object.hasOwn(slots, name))
      options.push({ label: name, type: 'variable', detail: 'local', info: `defined in this system: ${name} = ...` });
  for (const f of userFunctions(doc))
    options.push({
      label: f.name,
      type: 'function',
      detail: `(${f.args.join(', ')})`,
      info: 'defined in this model (functions:)',
      template: functionTemplate(f.name, f.args),
    });
  for (const f of functions?.functions ?? []) {
    if (f.name === 'der' || f.name === 'residual') continue; // offered at the start of an equation only
    const units = f.units ? ` Units: ${f.args.map((a, i) => `${a} [${f.units[i]}]`).join(', ')}.` : '';
    options.push({
      label: f.name,
      type: 'function',
      detail: `(${f.args.join(', ')})`,
      info: `${f.signature}: ${f.description}.${units}`,
      template: functionTemplate(f.name, f.args),
    });
  }
  for (const c of functions?.constants ?? [])
    options.push({ label: c.name, type: 'constant', detail: 'constant', info: c.description });
  const shown = options.filter((o) => o.label.startsWith(word));
  return shown.length ? { from: head.length - word.length, options: shown } : null;
}

/// A CodeMirror completion source; `functions()` returns the core's function table (null until it has loaded) and
/// `toOption(option)` turns an option with a `template` into a snippet completion (the editor passes
/// snippetCompletion, so this module needs no CodeMirror). Returns null outside expressions and in a literal's
/// unit brackets (`9.81[m/s`, for the unit completion), and false inside one with nothing to offer (so that no
/// other source offers keys or units after a space there: units in equations are bracketed, `9.81[m/s^2]`).
export function equationCompletion(functions, toOption = (o) => o) {
  let cachedDoc = null;
  let cached = null;
  return (context) => {
    const doc = context.state.doc.toString();
    const tree = parser.parse(doc);
    const where = equationContext(doc, context.pos, tree);
    if (!where) return null;
    if (/\[[^\]]*$/.test(where.head)) return null; // a literal's unit (`9.81[m/s`): the unit completion's
    if (doc !== cachedDoc) {
      cachedDoc = doc;
      cached = documentValue(doc, tree);
    }
    const result = equationOptions(cached, where.system, where.kind, where.head, functions?.(), {
      explicit: context.explicit,
      doc,
    });
    if (!result) return false;
    const start = context.pos - where.head.length;
    return {
      from: start + result.from,
      options: result.options.map((o) => (o.template ? toOption(o) : o)),
      validFor: /^\w*$/,
    };
  };
}
