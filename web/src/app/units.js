// Values live in two units (core/include/numen/model.h, Variable). The core solves in the model's coherent system
// (SI, time in the model's time unit): solutions and the `set` values of a run are coherent. People read and type
// each field's declared unit, its display unit: the model info's `value` is already in it. Every crossing between
// the two happens here: coherent = display * scale + offset.

const scaleOf = (variable) => (Number.isFinite(variable?.scale) && variable.scale !== 0 ? variable.scale : 1);
const offsetOf = (variable) => (Number.isFinite(variable?.offset) ? variable.offset : 0);

/// True when the variable's display unit is its coherent unit (m, N/m, no unit at all): nothing to convert.
export function isCoherent(variable) {
  return scaleOf(variable) === 1 && offsetOf(variable) === 0;
}

/// A coherent number (a solution value) in the variable's display unit.
export function toDisplay(variable, coherent) {
  return (coherent - offsetOf(variable)) / scaleOf(variable);
}

/// A number in the variable's display unit (what the user typed or dragged) as the core's coherent value.
export function toCoherent(variable, display) {
  return display * scaleOf(variable) + offsetOf(variable);
}

/// A series of coherent values (a typed array) in the display unit; the same array when there is nothing to convert.
export function displaySeries(variable, values) {
  if (isCoherent(variable)) return values;
  const scale = scaleOf(variable);
  const offset = offsetOf(variable);
  const out = new Float64Array(values.length);
  for (let k = 0; k < values.length; ++k) out[k] = (values[k] - offset) / scale;
  return out;
}

/// The variables a run's `set` can name (parameters, initial values, discretes), by key.
function settable(info) {
  const byKey = new Map();
  for (const v of [...(info?.parameters ?? []), ...(info?.states ?? []), ...(info?.discretes ?? [])])
    byKey.set(v.key, v);
  return byKey;
}

/// RunSettings' `set` ({key: coherent}) from values in display units ({key: display}), as the core wants them.
/// A key the model lacks is passed on unchanged, for the core to report.
export function coherentSet(info, displayValues) {
  const byKey = settable(info);
  const set = {};
  for (const [key, value] of Object.entries(displayValues)) {
    const variable = byKey.get(key);
    set[key] = variable && typeof value === 'number' ? toCoherent(variable, value) : value;
  }
  return set;
}

/// `key [unit]`, or the bare key for a field without a unit: the form of plot labels and CSV headers (the CLI's).
export function labelWithUnit(key, unit) {
  return unit ? `${key} [${unit}]` : key;
}

/// A unit as the core writes a derived one (`m/((m/s^2)*(kg))`), without the parentheses around single names
/// (`m/((m/s^2)*kg)`): the same unit, easier to read on an axis.
export function tidyUnit(unit) {
  let out = unit ?? '';
  for (let before = ''; before !== out;) {
    before = out;
    out = out.replace(/\(([A-Za-zµμΩ°%]+)\)/g, '$1');
  }
  return out;
}
