// Cursors: a read-out of the values under the pointer on every plot (a tap shows it on a touch screen), each value
// with its unit, written as Plotly hover templates (pure: no Plotly, no DOM; unit-tested under Node).
// - Time series: one read-out for the time under the cursor ("t = 1.25 s") listing every plotted variable at that
//   time, across the stacked panels of one figure (Plotly's "x unified" hover over subplots sharing the time axis).
// - Everything else (phase portraits, sweeps, characterization panels): the nearest point, named by its curve, with
//   both coordinates in the units of their axes; a heatmap adds its colour bar's quantity.

/// Significant digits in read-outs: enough to compare two runs, few enough to read at a glance.
export const READOUT_FORMAT = '.5~g';

/// An axis title "name [unit]" as {name, unit}; a title without brackets is a name without a unit.
export function splitTitle(title) {
  const text = typeof title === 'string' ? title : (title?.text ?? '');
  const match = /^(.*?)\s*\[([^\]]*)\]\s*$/.exec(text);
  if (!match) return { name: text.trim(), unit: '' };
  return { name: match[1].trim(), unit: match[2].trim() === '1' ? '' : match[2].trim() };
}

/// Escapes what Plotly's templates would read as a placeholder or markup in a name or unit.
function literal(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/%\{/g, '%&#123;');
}

/// "name = %{x:.5~g} unit": one line of a read-out.
export function readoutLine(name, unit, placeholder, format = READOUT_FORMAT) {
  const value = format ? `%{${placeholder}:${format}}` : `%{${placeholder}}`;
  return `${name ? `${literal(name)} = ` : ''}${value}${unit ? ` ${literal(unit)}` : ''}`;
}

const axisKey = (ref, letter) => {
  const suffix = (ref ?? letter).slice(1);
  return `${letter}axis${suffix}`;
};

/// Adds a read-out to every trace of a figure that has none, from the titles of the axes it is drawn on. Returns the
/// figure (changed in place).
export function withCursors(figure) {
  const { data, layout } = figure;
  for (const trace of data) {
    if (trace.hovertemplate !== undefined || trace.hoverinfo === 'skip' || trace.hoverinfo === 'none') continue;
    const xAxis = layout[axisKey(trace.xaxis, 'x')] ?? {};
    const yAxis = layout[axisKey(trace.yaxis, 'y')] ?? {};
    const x = splitTitle(xAxis.title);
    const y = splitTitle(yAxis.title);
    const category = (axis) => axis.type === 'category';
    const lines = [
      readoutLine(x.name || 'x', x.unit, 'x', category(xAxis) ? '' : READOUT_FORMAT),
      readoutLine(y.name || 'y', y.unit, 'y', category(yAxis) ? '' : READOUT_FORMAT),
    ];
    if (trace.type === 'heatmap') {
      const z = splitTitle(trace.colorbar?.title);
      lines.push(readoutLine(z.name || 'z', z.unit, 'z'));
    } else if (Array.isArray(trace.text)) lines.push('%{text}');
    trace.hovertemplate = `${trace.type === 'heatmap' ? '' : '<b>%{fullData.name}</b><br>'}${lines.join('<br>')}<extra></extra>`;
  }
  layout.hovermode = layout.hovermode ?? 'closest';
  layout.hoverlabel = { namelength: -1, ...layout.hoverlabel };
  return figure;
}

/// The time-series read-out: every variable at the time under the cursor, in every stacked panel, with units.
/// `timeTitle` is the time axis' title ("t [s]"); each trace's value is shown in the unit of its own panel.
export function withTimeCursor(figure, timeTitle) {
  const { data, layout } = figure;
  const t = splitTitle(timeTitle);
  for (const trace of data) {
    if (trace.hovertemplate !== undefined || trace.hoverinfo === 'skip') continue;
    const axis = layout[axisKey(trace.yaxis, 'y')] ?? {};
    const { unit } = splitTitle(axis.title);
    // The unified read-out names each line by its trace (the legend's name, key [unit]) in the template's <extra>.
    trace.hovertemplate = readoutLine('', unit, 'y');
  }
  layout.hovermode = 'x unified';
  layout.hoversubplots = 'axis';
  layout.hoverlabel = { namelength: -1, ...layout.hoverlabel };
  layout.xaxis = { ...layout.xaxis, unifiedhovertitle: { text: readoutLine(t.name || 't', t.unit, 'x') } };
  return figure;
}
