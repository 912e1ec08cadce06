// The parameters panel, generated from the compiled model: every parameter and initial value with its unit, a
// number field and a slider (logarithmic over 1/10x..10x of the model's value, linear around zero). Changes are
// reported at once; the caller debounces the re-solve. Everything here is in each field's display unit, the unit the
// model declares (the model info's `value` is in it): the caller converts to coherent values for the core
// (app/units.js, coherentSet).

const SLIDER_STEPS = 1000;
/// Above this many rows, the panel groups them by entity (see render).
export const GROUP_ABOVE = 14;

/// The variables of one section grouped by entity (the first part of their keys), in order: [{entity, variables,
/// open}]; open are the largest group (the first of equals) and any group holding a changed value.
export function entityGroups(variables, overrides = {}) {
  const groups = [];
  for (const v of variables) {
    const entity = v.key.split('.')[0];
    let g = groups.find((x) => x.entity === entity);
    if (!g) groups.push((g = { entity, variables: [], open: false }));
    g.variables.push(v);
  }
  const largest = groups.reduce((best, g) => (g.variables.length > (best?.variables.length ?? 0) ? g : best), null);
  for (const g of groups) g.open = g === largest || g.variables.some((v) => v.key in overrides);
  return groups;
}

/// The slider's mapping between its steps and values. A field's own `min:`/`max:` (from the model file) set its
/// ends: logarithmic when both are positive and two decades or more apart, linear otherwise. Without them, the
/// slider spans 1/10x..10x of the model's value.
export function sliderScale(base, min, max) {
  if (Number.isFinite(min) && Number.isFinite(max) && min < max) {
    if (min > 0 && max / min >= 100) {
      const decades = Math.log10(max / min);
      return {
        toValue: (s) => min * 10 ** ((decades * s) / SLIDER_STEPS),
        toSlider: (v) => (v > 0 ? (Math.log10(v / min) / decades) * SLIDER_STEPS : 0),
      };
    }
    return {
      toValue: (s) => min + ((max - min) * s) / SLIDER_STEPS,
      toSlider: (v) => ((v - min) / (max - min)) * SLIDER_STEPS,
    };
  }
  if (base > 0)
    return {
      toValue: (s) => base * 10 ** ((2 * s) / SLIDER_STEPS - 1),
      toSlider: (v) => (v > 0 ? ((Math.log10(v / base) + 1) * SLIDER_STEPS) / 2 : 0),
    };
  if (base < 0)
    return {
      toValue: (s) => base * 10 ** ((2 * s) / SLIDER_STEPS - 1),
      toSlider: (v) => (v < 0 ? ((Math.log10(v / base) + 1) * SLIDER_STEPS) / 2 : 0),
    };
  return { toValue: (s) => (2 * s) / SLIDER_STEPS - 1, toSlider: (v) => ((v + 1) * SLIDER_STEPS) / 2 };
}

function format(v) {
  return Number.isFinite(v) ? String(Number(v.toPrecision(8))) : '';
}

export class ParamsPanel {
  constructor(root, { onChange, onReset }) {
    this.root = root;
    this.onChange = onChange;
    this.onReset = onReset;
    this.rows = new Map();
  }

  /// Rebuilds the rows for a model (info from the core) with the current overrides; `only` (a list of keys) shows
  /// just those, without the filter (an embed's chosen sliders).
  render(info, overrides, { only = null } = {}) {
    if (this.model !== info.name) this.opened = new Map(); // groups the user opened or folded, for this model
    this.model = info.name;
    this.root.replaceChildren();
    this.rows.clear();
    const shown = only ? new Set(only) : null;
    const filter = document.createElement('input');
    filter.type = 'search';
    filter.placeholder = 'filter parameters…';
    filter.className = 'param-filter';
    filter.setAttribute('aria-label', 'filter parameters');
    if (!shown) this.root.append(filter);
    const sections = [
      ['Parameters', info.parameters],
      ['Initial values', info.states],
    ].map(([title, variables]) => [title, shown ? variables.filter((v) => shown.has(v.key)) : variables]);
    // Many sliders (a valve's 35) are grouped by entity, the largest group open and the rest folded, so the
    // first screen shows the parameters that matter most instead of a wall; a group with a changed value opens.
    const grouped = !shown && sections.reduce((n, [, vs]) => n + vs.length, 0) > GROUP_ABOVE;
    const groups = [];
    for (const [title, variables] of sections) {
      if (!variables.length) continue;
      const heading = document.createElement('h3');
      heading.textContent = title;
      this.root.append(heading);
      if (!grouped) {
        for (const v of variables) this.root.append(this.row(v, overrides[v.key]));
        continue;
      }
      for (const group of entityGroups(variables, overrides)) {
        const details = document.createElement('details');
        details.className = 'param-group';
        details.dataset.entity = group.entity;
        const id = `${title}/${group.entity}`;
        details.open = this.opened.get(id) ?? group.open;
        const summary = document.createElement('summary');
        // The user's choice, kept across re-renders and filtering. Taken from the click (a key on the summary clicks
        // too), not from `toggle`: that event comes later, after the filter may have folded the group itself.
        summary.addEventListener('click', () => this.opened.set(id, !details.open));
        summary.textContent = `${group.entity} (${group.variables.length})`;
        details.append(summary, ...group.variables.map((v) => this.row(v, overrides[v.key])));
        this.root.append(details);
        groups.push({ details, id, open: group.open });
      }
    }
    filter.addEventListener('input', () => {
      const q = filter.value.trim().toLowerCase();
      for (const [key, row] of this.rows) row.element.hidden = q !== '' && !key.toLowerCase().includes(q);
      // While filtering, the groups with a match are open; cleared, they are as they were.
      for (const g of groups)
        g.details.open =
          q === ''
            ? (this.opened.get(g.id) ?? g.open)
            : [...g.details.querySelectorAll('.param')].some((r) => !r.hidden);
    });
  }

  row(variable, override) {
    const element = document.createElement('div');
    element.className = 'param';
    element.dataset.key = variable.key;
    const label = document.createElement('label');
    label.textContent = variable.key;
    label.title = variable.description || variable.key;
    const unit = document.createElement('span');
    unit.className = 'unit';
    unit.textContent = variable.unit ? `[${variable.unit}]` : '';
    const number = document.createElement('input');
    number.type = 'number';
    number.step = 'any';
    number.setAttribute('aria-label', variable.key);
    const slider = document.createElement('input');
    slider.type = 'range';
    slider.min = '0';
    slider.max = String(SLIDER_STEPS);
    slider.setAttribute('aria-label', `${variable.key} slider`);
    const reset = document.createElement('button');
    reset.type = 'button';
    reset.className = 'reset';
    reset.textContent = '↺';
    reset.title = `back to the model's value ${format(variable.value)}`;
    const scale = sliderScale(variable.value, variable.min, variable.max);
    const show = (value) => {
      number.value = format(value);
      slider.value = String(Math.min(SLIDER_STEPS, Math.max(0, scale.toSlider(value))));
      element.classList.toggle('changed', value !== variable.value);
    };
    show(override ?? variable.value);
    number.addEventListener('change', () => {
      const value = Number(number.value);
      if (number.value.trim() === '' || !Number.isFinite(value)) {
        show(override ?? variable.value);
        return;
      }
      show(value);
      this.onChange(variable.key, value);
    });
    slider.addEventListener('input', () => {
      const value = Number(scale.toValue(Number(slider.value)).toPrecision(6));
      number.value = format(value);
      element.classList.toggle('changed', value !== variable.value);
      this.onChange(variable.key, value);
    });
    reset.addEventListener('click', () => {
      show(variable.value);
      this.onReset(variable.key);
    });
    const head = document.createElement('div');
    head.className = 'param-head';
    head.append(label, unit);
    const controls = document.createElement('div');
    controls.className = 'param-controls';
    controls.append(number, slider, reset);
    element.append(head, controls);
    this.rows.set(variable.key, { element, show, variable });
    return element;
  }
}
