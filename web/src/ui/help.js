// The model-language reference, in the page (Help, or the ? key): generated from the model file's JSON Schema (the
// same schemas/model.schema.json the core validates with: every key and its description), the core's function
// library (functions_json(), the list `numen functions` prints) and its unit table (units_json(), `numen units`),
// with the syntax of equations and events around them. Searchable; a dialog, so Escape closes it.
import { schemaNavigator } from '../editor/schema-complete.js';

const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'className') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
};

/// Text with `code` spans (the schema's descriptions quote keys and syntax in backticks), as DOM nodes.
function rich(text) {
  const out = [];
  String(text ?? '')
    .split(/(`[^`]+`)/)
    .forEach((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length > 1)
        out.push(el('code', { text: part.slice(1, -1) }));
      else if (part) out.push(document.createTextNode(part));
    });
  return out;
}

/// One entry: a term (key or syntax) and what it means. `search` is the text the filter matches.
function entry(term, description, { example = '', search = '' } = {}) {
  const dt = el('dt', {}, el('code', { text: term }));
  const dd = el('dd', {}, ...rich(description));
  if (example) dd.append(' ', el('span', { className: 'help-example' }, 'e.g. ', el('code', { text: example })));
  const div = el('div', { className: 'help-entry' }, dt, dd);
  div.dataset.search = `${term} ${description ?? ''} ${example} ${search}`.toLowerCase();
  return div;
}

function section(id, title, intro, entries) {
  const s = el('section', { className: 'help-section', id: `help-${id}`, 'aria-labelledby': `help-${id}-title` });
  s.append(el('h3', { id: `help-${id}-title`, text: title }));
  if (intro) s.append(el('p', { className: 'help-intro' }, ...rich(intro)));
  // A definition list holds only its entries: a subheading (h4) closes one list and the next entries start another.
  let list = null;
  for (const e of entries) {
    if (e.tagName === 'H4' || !e.classList?.contains('help-entry')) {
      s.append(e);
      list = null;
    } else {
      if (!list) s.append((list = el('dl', {})));
      list.append(e);
    }
  }
  return s;
}

/// The keys of a schema node (its merged branches), with descriptions: [[key, description]].
function keysOf(nav, node) {
  const e = nav.effective(node, {});
  return Object.entries(e?.properties ?? {}).map(([k, s]) => [
    k,
    nav.effective(s, {})?.description ?? s.description ?? '',
  ]);
}

/// The sections of the reference, as DOM: top-level keys, components and fields, systems and equations, events,
/// entities and world, simulate and plots, units, functions.
export function referenceSections(schema, functions, units) {
  const nav = schemaNavigator(schema);
  const defs = schema.$defs ?? {};
  const sections = [];

  sections.push(
    section(
      'file',
      'A model file',
      schema.description,
      keysOf(nav, schema).map(([k, d]) => entry(`${k}:`, d, { search: 'top-level key' })),
    ),
  );

  const fieldKeys = keysOf(nav, defs.field).map(([k, d]) =>
    entry(
      `${k}:`,
      d ||
        {
          value: 'The initial value (states) or the value (params).',
          unit: "The field's unit.",
          description: 'What the field is, shown beside its slider.',
        }[k] ||
        '',
      { search: 'field sub-key' },
    ),
  );
  const outputKeys = keysOf(nav, defs.output).map(([k, d]) =>
    entry(
      `${k}:`,
      d ||
        (k === 'unit'
          ? "The output's unit."
          : k === 'size'
            ? 'Number of elements of a vector output.'
            : 'What the output is.'),
      { search: 'output sub-key' },
    ),
  );
  const portKeys = keysOf(nav, defs.port).map(([k, d]) =>
    entry(`${k}:`, d || 'What the port is.', { search: 'port sub-key' }),
  );
  sections.push(
    section(
      'components',
      'Components and their fields',
      'A component is a typed bundle of fields. A field is written `x: 0 m` (a value and its unit), `k: { value: 10, unit: N/m, description: spring rate }`, or a list for a vector.',
      [
        ...keysOf(nav, defs.component).map(([k, d]) =>
          entry(`${k}:`, d || 'One line saying what the component is.', { search: 'component section' }),
        ),
        el('h4', { text: 'A field written as a map' }),
        ...fieldKeys,
        el('h4', { text: 'An output' }),
        ...outputKeys,
        el('h4', { text: 'A port (where a test plan drives the model)' }),
        ...portKeys,
      ],
    ),
  );

  sections.push(
    section('systems', 'Systems and equations', defs.system?.properties?.equations?.description ?? '', [
      ...keysOf(nav, defs.system).map(([k, d]) =>
        entry(
          `${k}:`,
          d || (k === 'events' ? 'Events: discontinuous changes, see below.' : 'One line saying what the system does.'),
          { search: 'system key' },
        ),
      ),
      el('h4', { text: 'Equation lines' }),
      entry(
        'der(a.x) += expr',
        'Adds to the time derivative of state `x` of the component in slot `a`; contributions from every system add up (`-=` subtracts).',
        { example: 'der(m.velocity) += F / m.mass' },
      ),
      entry('name = expr', 'A local definition, usable in the equations of this system after it.', {
        example: 'F = s.k * (b.position - a.position)',
      }),
      entry('a.output = expr', 'Computes an output (declared under `outputs:`), saved with the solution.', {
        example: 'o.energy = 0.5 * o.v^2',
      }),
      entry('0 = expr', 'An algebraic equation (a DAE): determines one of the `algebraics:`.', {
        example: '0 = a.F - b.F',
      }),
      entry('a.z = expr', 'An algebraic equation for the algebraic `z` in explicit form.'),
      entry(
        'residual(a.z) += expr',
        'Adds to the algebraic equation 0 = sum of contributions for `z`, from several systems.',
      ),
      el('h4', { text: 'Expressions' }),
      entry('+ - * / ^', 'Arithmetic; `^` is a power (`x^2`, `x^0.5`).'),
      entry('< <= > >= == !=', 'Comparisons: 1 when true, 0 when false.'),
      entry('and or not', 'Logic on comparisons.', { example: 'x > 0 and v < 0' }),
      entry('if(c, a, b)', 'a where c holds, else b.', { example: 'if(x < 0, -k * x, 0)' }),
      entry('t', "Time, in the model's `time_unit`."),
      entry('a.x', 'Field `x` of the component in slot `a` (slots: `[a: mass]`).'),
    ]),
  );

  sections.push(
    section('events', 'Events', 'Inside a system, `events:` is a list of discontinuous changes.', [
      ...keysOf(nav, defs.event).map(([k, d]) => entry(`${k}:`, d, { search: 'event key' })),
      entry(
        '{ when: "b.position < 0", do: ["b.velocity = -b.e * b.velocity"] }',
        'Fires as the condition becomes true (and again only after it has been false); the `do:` assignments see the values before the event.',
      ),
      entry(
        '{ every: 0.01, do: ["c.u = c.kp * (c.ref - c.w)"] }',
        'A periodic update: a sampled controller, a zero-order hold.',
      ),
    ]),
  );

  sections.push(
    section('world', 'Entities and the world', '', [
      entry('entities:', schema.properties?.entities?.description ?? '', { example: 'm2: { mass: { position: 1 } }' }),
      entry('world:', schema.properties?.world?.description ?? '', {
        example: 'spring_force: [[m1, s1, m2], [m2, s2, m3]]',
      }),
      entry('entity.component.field', 'The key of a state or parameter in results, plots, sliders and plans.', {
        example: 'osc.oscillator.x',
      }),
    ]),
  );

  sections.push(
    section('simulate', 'Simulate and plots', defs.simulate?.description ?? '', [
      ...keysOf(nav, defs.simulate).map(([k, d]) => entry(`simulate: ${k}`, d, { search: 'simulate key' })),
      ...keysOf(nav, defs.plots).map(([k, d]) =>
        entry(
          `plots: ${k}`,
          d ||
            (k === 'show'
              ? 'States and outputs to plot against time.'
              : 'A phase portrait: `[X, Y]` draws Y against X.'),
          { search: 'plots key' },
        ),
      ),
    ]),
  );

  const unitEntries = [
    entry(
      'k: 20 kN/m',
      "A value with its unit, after a space. A bare number is in the field's own unit; a value in another unit of the same dimension is converted.",
    ),
    entry('9.81[m/s^2]', 'A literal with a unit inside an equation: in brackets, right after the number.', {
      example: 'der(b.v) += -9.81[m/s^2]',
    }),
    entry(
      'kN/m  J/(kg*K)  m/s^2  1/min  %',
      'Unit grammar: names joined by `*` and `/`, powers `^2`, `^-1`, parentheses; `1` is dimensionless.',
    ),
    entry('unit: "1"', 'A field that is truly dimensionless says so; a field without a unit is not checked.'),
  ];
  const unitTable = el('details', { className: 'help-units' });
  unitTable.append(
    el('summary', { text: `The unit table (${units?.units?.length ?? 0} units; the CLI prints it with numen units)` }),
  );
  if (units?.units?.length) {
    const table = el('table', { className: 'help-table' });
    const head = table.insertRow();
    for (const h of ['unit', 'name', 'in SI', 'quantity']) head.append(el('th', { text: h }));
    for (const u of units.units) {
      const row = table.insertRow();
      row.className = 'help-unit';
      row.dataset.search = `${u.symbol} ${u.name} ${u.quantity} unit`.toLowerCase();
      for (const text of [
        u.symbol,
        `${u.name}${u.prefixes ? ' (takes SI prefixes)' : ''}`,
        `${Number(u.scale.toPrecision(8))} ${u.si}`,
        u.quantity,
      ])
        row.insertCell().textContent = text;
    }
    unitTable.append(table);
  }
  const unitsSection = section('units', 'Units', schema.$defs?.unit?.description ?? '', unitEntries);
  unitsSection.append(unitTable);
  sections.push(unitsSection);

  const groups = [
    ['language', 'The language'],
    ['math', 'Math (elementwise on vectors)'],
    ['library', 'The engineering library'],
  ];
  const functionEntries = [];
  for (const [kind, heading] of groups) {
    functionEntries.push(el('h4', { text: heading }));
    for (const f of (functions?.functions ?? []).filter((g) => g.kind === kind)) {
      const argUnits = f.units
        ? ` Units of the arguments: ${f.args.map((a, i) => `${a} [${f.units[i]}]`).join(', ')}.`
        : '';
      const e = entry(f.signature, `${f.description}.${argUnits}`, { search: `function ${f.name}` });
      e.classList.add('help-function');
      e.dataset.name = f.name;
      functionEntries.push(e);
    }
  }
  functionEntries.push(el('h4', { text: 'Constants' }));
  for (const c of functions?.constants ?? [])
    functionEntries.push(entry(c.name, c.description, { search: 'constant' }));
  functionEntries.push(
    entry('functions: { "f(a, b)": expr }', schema.properties?.functions?.description ?? '', {
      search: 'user function',
    }),
  );
  sections.push(
    section(
      'functions',
      'Functions',
      functions
        ? 'Every function equations may call (the CLI lists them with numen functions).'
        : 'The function list is loading with the core…',
      functionEntries,
    ),
  );
  return sections;
}

/// Hides the entries (and sections) that do not match every word of `query`; returns how many entries match.
export function filterReference(root, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const s of root.querySelectorAll('.help-section')) {
    let inSection = 0;
    for (const e of s.querySelectorAll('.help-entry, .help-unit')) {
      const hit = words.every((w) => e.dataset.search.includes(w));
      e.hidden = !hit;
      if (hit && e.classList.contains('help-entry')) inSection += 1;
      if (hit && e.classList.contains('help-unit') && words.length) inSection += 1;
    }
    for (const h of s.querySelectorAll('h4')) h.hidden = words.length > 0;
    const units = s.querySelector('.help-units');
    if (units && words.length) units.open = [...units.querySelectorAll('.help-unit')].some((r) => !r.hidden);
    s.hidden = inSection === 0;
    shown += inSection;
  }
  return shown;
}

/// The Help dialog. schema() returns a promise of the model schema (loaded on first open, off the first plot's path),
/// functions() and units() promises of the core's tables; the reference is built on first open (again if a table was
/// missing then).
export function createHelp({ schema, functions, units }) {
  const dialog = el('dialog', { id: 'help', 'aria-labelledby': 'help-title', className: 'help' });
  const close = el('button', { type: 'button', className: 'close', 'aria-label': 'close the reference', text: '✕' });
  const search = el('input', {
    type: 'search',
    id: 'help-search',
    placeholder: 'Search: der, slots, interp, kN…',
    'aria-label': 'search the reference',
    autocomplete: 'off',
  });
  const count = el('p', { className: 'help-count', role: 'status', 'aria-live': 'polite' });
  const nav = el('nav', { className: 'help-nav', 'aria-label': 'reference sections' });
  const body = el('div', { className: 'help-body' });
  dialog.append(
    el('div', { className: 'gallery-head' }, el('h2', { id: 'help-title', text: 'Model language reference' }), close),
    el('p', {
      className: 'hint',
      text: 'Everything a model file may say, from the schema the core checks files with and from its function library. Esc closes; ? opens it again.',
    }),
    search,
    count,
    nav,
    body,
  );
  document.body.append(dialog);
  close.addEventListener('click', () => dialog.close());
  let complete = false;

  async function build() {
    const [s, f, u] = await Promise.all([schema(), functions().catch(() => null), units().catch(() => null)]);
    const sections = referenceSections(s, f, u);
    body.replaceChildren(...sections);
    nav.replaceChildren(
      ...sections.map((s) => {
        const a = el('a', { href: `#${s.id}`, text: s.querySelector('h3').textContent });
        a.addEventListener('click', (event) => {
          event.preventDefault(); // the address's # is the share link's
          s.scrollIntoView({ block: 'start' });
          s.querySelector('h3').setAttribute('tabindex', '-1');
          s.querySelector('h3').focus();
        });
        return a;
      }),
    );
    complete = Boolean(f && u);
    dialog.dataset.ready = complete ? 'true' : 'partial';
    apply();
  }

  function apply() {
    const n = filterReference(body, search.value);
    count.textContent = search.value.trim()
      ? n
        ? `${n} entr${n === 1 ? 'y' : 'ies'} match`
        : 'Nothing matches: try a shorter word'
      : '';
  }
  search.addEventListener('input', apply);

  return {
    element: dialog,
    get isOpen() {
      return dialog.open;
    },
    async open(query = '') {
      if (!dialog.open) dialog.showModal();
      search.focus();
      if (!complete) await build();
      if (query) {
        search.value = query;
        apply();
      }
    },
    close() {
      dialog.close();
    },
  };
}
