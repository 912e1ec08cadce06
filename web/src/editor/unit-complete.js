// Completion of unit names where YAML text takes a unit: after a number in a value (`k: 20 kN/m`, `p: "3 bar"`,
// `value: 36 km/h`), in the brackets of a literal in an equation (`9.81[m/s^2]`) and after `unit:` or `time_unit:`. The names come from the core's one
// unit table (`numen units`, units_json(), bound as unitsJson()): every unit, the common SI prefixes on those that
// take prefixes (k, M, G, m, µ or u, n), compound units from this document's own `unit:` fields and a short list of
// common engineering ones (kept only when every name in them is in the core's table). A compound is completed name
// by name: after `kN/` come `kN/m`, `kN/mm`, ... Only forms that start with what is typed are offered.

/// The prefixes offered in completion (the core accepts every SI prefix; these are the ones people write).
export const COMMON_PREFIXES = ['k', 'M', 'G', 'm', 'µ', 'u', 'n'];
const PREFIX_NAMES = {
  k: 'kilo',
  M: 'mega',
  G: 'giga',
  m: 'milli',
  µ: 'micro',
  u: 'micro',
  n: 'nano',
  c: 'centi',
  h: 'hecto',
};

/// Compound units engineers write often, offered when their names are all in the core's table.
export const COMMON_COMPOUNDS = [
  'N/m',
  'kN/m',
  'N/mm',
  'MN/m',
  'N*s/m',
  'kN*s/m',
  'N*m',
  'kN*m',
  'N*m/rad',
  'N*m*s/rad',
  'kg*m^2',
  'm/s',
  'km/h',
  'mm/s',
  'm/s^2',
  'rad/s',
  'rad/s^2',
  'deg/s',
  '1/s',
  'm^2',
  'mm^2',
  'cm^2',
  'm^3',
  'cm^3',
  'kg/s',
  'g/s',
  'kg/m^3',
  'g/cm^3',
  'm^3/s',
  'L/min',
  'L/s',
  'Pa*s',
  'mPa*s',
  'm^2/s',
  'J/(kg*K)',
  'kJ/(kg*K)',
  'J/K',
  'J/kg',
  'kJ/kg',
  'W/(m*K)',
  'W/(m^2*K)',
  'W/m^2',
  'K/W',
  'kWh',
  'V/A',
  'A/V',
  'V*s',
  'A*h',
  'mA*h',
  'N/A',
  'Wb/A',
];

const UNIT_CHARS = /[A-Za-z0-9µμΩ°%*/^()\-]*$/;
const NAME = /[A-Za-zµμΩ°%]+/g;

/// The core's table (units_json()) prepared for completion: {atoms: [{label, detail, info, prefixed}], known(name)}.
export function unitCatalogue(table) {
  const rows = table?.units ?? [];
  const bySymbol = new Map(rows.map((u) => [u.symbol, u]));
  const prefixes = new Map((table?.prefixes ?? []).map(([symbol, factor]) => [symbol, factor]));
  const atoms = [];
  const seen = new Set();
  const add = (label, row, prefix) => {
    if (seen.has(label)) return;
    seen.add(label);
    const factor = prefix ? prefixes.get(prefix) * row.scale : row.scale;
    const name = prefix ? `${PREFIX_NAMES[prefix] ?? prefix}${row.name}` : row.name;
    atoms.push({
      label,
      detail: row.quantity,
      info: factor === 1 ? name : `${name}: ${Number(factor.toPrecision(10))} ${row.si}`,
      prefixed: Boolean(prefix),
    });
  };
  for (const row of rows) add(row.symbol, row, '');
  for (const row of rows) {
    if (!row.prefixes) continue;
    for (const p of COMMON_PREFIXES) if (prefixes.has(p)) add(`${p}${row.symbol}`, row, p);
  }
  // A name is known when it is in the table, or is a prefix joined to a row that takes prefixes (`kg`, `hPa`).
  const knownName = (name) => {
    if (bySymbol.has(name)) return true;
    for (const p of prefixes.keys())
      if (name.length > p.length && name.startsWith(p) && bySymbol.get(name.slice(p.length))?.prefixes) return true;
    return false;
  };
  const known = (unit) => {
    const names = unit.match(NAME) ?? [];
    return names.length > 0 || /^1(\/|$)/.test(unit) ? names.every(knownName) : false;
  };
  return { atoms, known, compounds: COMMON_COMPOUNDS.filter(known) };
}

/// The units this document declares (`unit: X`, `time_unit: X`), for completing them again elsewhere.
export function documentUnits(doc) {
  const out = new Set();
  for (const m of doc.matchAll(/\bunit:\s*["']?([^\s,}\]"'#]+)/g)) out.add(m[1]);
  return [...out];
}

/// Where a unit is being typed, from the line up to the cursor: {from, word} (from: the offset of the unit's start
/// in `head`) or null. A unit follows `unit:`, or a number and a space (the value rule: VALUE := EXPRESSION [UNIT]).
export function unitContext(head) {
  if (/(^|\s)#/.test(head)) return null; // a comment
  const word = UNIT_CHARS.exec(head)[0];
  const before = head.slice(0, head.length - word.length);
  // A unit starts with a name, `(`, `%`, or the `1/` of `1/s`.
  if (word !== '' && !/^([A-Za-zµμΩ°%(]|1\/|1$)/.test(word)) return null;
  const afterUnitKey = /(^|[\s{,])(time_)?unit:\s*["']?$/.test(before);
  // A number (`20`, `-9.81`, `3e5`), or `pi` ending a product (`2*pi rad/s`), then a space.
  const afterNumber =
    /(^|[^A-Za-z0-9_.])(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s+$/.test(before) || /[*/^(]\s*pi\s+$/.test(before);
  // In an equation, a literal's unit is in brackets right after it: `9.81[m/s^2]`.
  const inBrackets = /(\d|\d\.|\bpi)\[$/.test(before);
  if (!afterUnitKey && !afterNumber && !inBrackets) return null;
  return { from: before.length, word };
}

/// Completion options for the unit text typed so far (`word`), from a catalogue and the document's own units.
export function unitOptions(catalogue, word, docUnits = [], { explicit = false } = {}) {
  if (!catalogue) return [];
  const options = [];
  const seen = new Set();
  const push = (o) => {
    if (seen.has(o.label) || !o.label.startsWith(word)) return;
    seen.add(o.label);
    options.push(o);
  };
  // Whole units first: the document's own, then the common compounds.
  for (const u of docUnits)
    if (catalogue.known(u)) push({ label: u, type: 'constant', detail: 'in this file', boost: 3 });
  for (const u of catalogue.compounds) push({ label: u, type: 'constant', detail: 'unit', boost: 2 });
  // Then the name being typed: after the last `*`, `/` or `(`.
  const cut = Math.max(word.lastIndexOf('*'), word.lastIndexOf('/'), word.lastIndexOf('('));
  const lead = word.slice(0, cut + 1);
  const partial = word.slice(cut + 1);
  if (/[\^)]/.test(partial)) return options; // an exponent or a closed group: nothing more to name
  if (partial === '' && lead === '' && !explicit) return options;
  for (const atom of catalogue.atoms) {
    if (atom.prefixed && partial === '') continue; // prefixed forms once a letter narrows them down
    if (lead && !/^[A-Za-zµμΩ]/.test(atom.label)) continue; // `%` and `°C` stand alone
    if (!atom.label.startsWith(partial)) continue;
    push({
      label: lead + atom.label,
      type: 'constant',
      detail: atom.detail,
      info: atom.info,
      boost: atom.prefixed ? 0 : 1,
    });
  }
  return options;
}

/// A CodeMirror completion source for units; `units()` returns the core's table (null until it has loaded).
export function unitCompletion(units) {
  let cachedTable = null;
  let catalogue = null;
  return (context) => {
    const table = units?.();
    if (!table) return null;
    if (table !== cachedTable) {
      cachedTable = table;
      catalogue = unitCatalogue(table);
    }
    const line = context.state.doc.lineAt(context.pos);
    const where = unitContext(line.text.slice(0, context.pos - line.from));
    if (!where) return null;
    if (!context.explicit && where.word === '') return null; // a space alone does not pop the list up
    const options = unitOptions(catalogue, where.word, documentUnits(context.state.doc.toString()), {
      explicit: context.explicit,
    });
    if (options.length === 0) return null;
    return { from: line.from + where.from, options, filter: false };
  };
}
