// Time-series figures from a solution's typed arrays (state-major: series i is x[i*nt .. (i+1)*nt)). Variables are
// grouped by unit, one stacked panel per unit with the unit on its axis; a previous run can be overlaid, dashed.
// Solutions are coherent numbers; every figure reads them through variableSeries, in each field's display unit.
import { displaySeries, labelWithUnit } from '../app/units.js';
import { withCursors, withTimeCursor } from './cursors.js';
import { RUN_DASHES } from '../app/runs.js';

/// Okabe and Ito's colour-blind-safe qualitative palette (yellow, too faint on white, replaced by Tol's wine).
export const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#882255'];

/// Legends sit above the plot area, where no axis title is (below it, they covered the time axis' title).
export const legendAbove = { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom' };

/// The time axis' title in the model's time unit (`time_unit:`; "1" is dimensionless time).
export function timeAxisTitle(info) {
  const unit = info?.time_unit ?? 's';
  return unit === '1' ? 't' : `t [${unit}]`;
}

export function seriesOf(data, index, nt) {
  return data.subarray(index * nt, (index + 1) * nt);
}

/// The values of a state or output of a solution in its display unit (the unit the model declares for it), with its
/// variable description. The one place where plotted and exported series leave the coherent system.
export function variableSeries(info, solution, key) {
  const nt = solution.t.length;
  const s = info.states.findIndex((v) => v.key === key);
  if (s >= 0) return { variable: info.states[s], values: displaySeries(info.states[s], seriesOf(solution.x, s, nt)) };
  const o = info.outputs.findIndex((v) => v.key === key);
  if (o >= 0) return { variable: info.outputs[o], values: displaySeries(info.outputs[o], seriesOf(solution.y, o, nt)) };
  return null;
}

/// What to plot when the user has not chosen: the model file's `plots: show`, else its first six states.
export function defaultKeys(info) {
  if (info.plots?.show?.length) return [...info.plots.show];
  return info.states.slice(0, 6).map((s) => s.key);
}

function axisName(index) {
  return index === 0 ? 'yaxis' : `yaxis${index + 1}`;
}

/// {data, layout} for the chosen keys; `previous` ({info, solution}) is drawn dotted underneath, and each kept run
/// (`kept`: [{name, dash, info, solution}]) in its own dash pattern, in the colour of the variable it shows.
export function timeSeriesFigure(info, solution, keys, { previous = null, kept = [], title = '' } = {}) {
  const groups = new Map(); // unit -> series of that unit
  for (const key of keys) {
    const series = variableSeries(info, solution, key);
    if (!series) continue;
    const unit = series.variable.unit || '1';
    if (!groups.has(unit)) groups.set(unit, []);
    groups.get(unit).push({ key, series });
  }
  const units = [...groups.keys()].slice(0, 6);
  const data = [];
  const layout = {
    title: title ? { text: title, font: { size: 14 } } : undefined,
    margin: { l: 70, r: 20, t: title ? 40 : 20, b: 50 },
    xaxis: { title: { text: timeAxisTitle(info) }, anchor: units.length > 1 ? `y${units.length}` : 'y' },
    legend: legendAbove,
    showlegend: true,
    uirevision: info.name,
  };
  const gap = 0.04;
  const height = (1 - gap * (units.length - 1)) / Math.max(units.length, 1);
  let colour = 0;
  units.forEach((unit, row) => {
    const top = 1 - row * (height + gap);
    const axis = row === 0 ? 'y' : `y${row + 1}`;
    layout[axisName(row)] = {
      title: { text: unit === '1' ? 'value' : `[${unit}]` },
      domain: [top - height, top],
      anchor: 'x',
    };
    for (const { key, series } of groups.get(unit)) {
      const color = palette[colour++ % palette.length];
      for (const run of kept) {
        const series0 = run.solution && variableSeries(run.info, run.solution, key);
        if (!series0 || series0.variable.unit !== series.variable.unit) continue;
        data.push({
          type: 'scatter',
          mode: 'lines',
          name: `${key} (${run.name})`,
          x: Array.from(run.solution.t),
          y: Array.from(series0.values),
          yaxis: axis,
          line: { color, dash: RUN_DASHES[run.dash % RUN_DASHES.length], width: 1.5 },
          opacity: 0.8,
          legendgroup: `kept:${run.name}`,
        });
      }
      const old = previous && variableSeries(previous.info, previous.solution, key);
      if (old && old.variable.unit === series.variable.unit)
        data.push({
          type: 'scatter',
          mode: 'lines',
          name: `${key} (previous)`,
          x: Array.from(previous.solution.t),
          y: Array.from(old.values),
          yaxis: axis,
          line: { color, dash: 'dot', width: 1.5 },
          opacity: 0.6,
        });
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: labelWithUnit(key, series.variable.unit),
        x: Array.from(solution.t),
        y: Array.from(series.values),
        yaxis: axis,
        line: { color, width: 2 },
      });
    }
  });
  return withTimeCursor({ data, layout }, layout.xaxis.title.text);
}

/// Two variables against each other (a phase portrait of the solution).
export function phaseFigure(info, solution, xKey, yKey) {
  const x = variableSeries(info, solution, xKey);
  const y = variableSeries(info, solution, yKey);
  if (!x || !y) return { data: [], layout: {} };
  const label = (s, k) => labelWithUnit(k, s.variable.unit);
  return withCursors({
    data: [
      {
        type: 'scatter',
        mode: 'lines',
        x: Array.from(x.values),
        y: Array.from(y.values),
        name: `${yKey} vs ${xKey}`,
        line: { color: palette[0] },
      },
    ],
    layout: {
      margin: { l: 70, r: 20, t: 20, b: 50 },
      xaxis: { title: { text: label(x, xKey) } },
      yaxis: { title: { text: label(y, yKey) } },
      uirevision: `${info.name}:phase`,
    },
  });
}

/// Interpolates a colour on a blue-to-orange scale for family members (0..1).
export function familyColor(f) {
  const stops = [
    [0, [49, 54, 149]],
    [0.5, [116, 173, 209]],
    [0.75, [253, 174, 97]],
    [1, [165, 0, 38]],
  ];
  const x = Math.min(1, Math.max(0, Number.isFinite(f) ? f : 0));
  let i = 0;
  while (i < stops.length - 2 && x > stops[i + 1][0]) ++i;
  const [a, ca] = stops[i];
  const [b, cb] = stops[i + 1];
  const t = (x - a) / (b - a || 1);
  const c = ca.map((v, k) => Math.round(v + t * (cb[k] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export const familyColorscale = [
  [0, familyColor(0)],
  [0.5, familyColor(0.5)],
  [0.75, familyColor(0.75)],
  [1, familyColor(1)],
];

/// Position of v in [lo, hi], logarithmic when every value is positive and they span more than a decade.
export function scalePosition(values) {
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const log = lo > 0 && hi / lo > 10;
  return (v) => {
    if (hi === lo) return 0.5;
    return log ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
  };
}

/// N runs of one variable, coloured by the swept value (in the parameter's display unit), with a colour bar.
export function sweepFigure(info, runs, key, param) {
  const swept = [...info.parameters, ...info.states].find((v) => v.key === param);
  const paramLabel = labelWithUnit(param, swept?.unit);
  const position = scalePosition(runs.map((r) => r.value));
  const data = [];
  let unit = '';
  for (const run of runs) {
    if (!run.solution) continue;
    const series = variableSeries(info, run.solution, key);
    if (!series) continue;
    unit = series.variable.unit;
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${param} = ${run.value.toPrecision(4)}${swept?.unit ? ` ${swept.unit}` : ''}`,
      x: Array.from(run.solution.t),
      y: Array.from(series.values),
      line: { color: familyColor(position(run.value)), width: 1.6 },
      showlegend: runs.length <= 12,
    });
  }
  data.push(
    familyColorbar(
      runs.map((r) => r.value),
      paramLabel,
    ),
  );
  return withCursors({
    data,
    layout: {
      margin: { l: 70, r: 20, t: 20, b: 50 },
      xaxis: { title: { text: timeAxisTitle(info) } },
      yaxis: { title: { text: labelWithUnit(key, unit) } },
      legend: legendAbove,
      uirevision: `${info.name}:sweep`,
    },
  });
}

/// The colour bar of a family of curves (one per value of a swept parameter): an invisible trace that carries it.
export function familyColorbar(values, title) {
  return {
    type: 'scatter',
    mode: 'markers',
    x: [null],
    y: [null],
    showlegend: false,
    hoverinfo: 'skip',
    marker: {
      colorscale: familyColorscale,
      cmin: Math.min(...values),
      cmax: Math.max(...values),
      color: [values[0]],
      showscale: true,
      colorbar: { title: { text: title ?? '' }, thickness: 14 },
    },
  };
}
