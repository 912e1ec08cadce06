// Downloads made in the page (Blob URLs, nothing leaves the machine): model and plan files, results JSON and CSV
// tables, the sweep's table, plot images. The solution CSV and the results' tables are written by the core (the
// worker's solutionCsv and resultsCsv), as the CLI writes them.
import { plotlyReady } from '../plots/plotly.js';
import { variableSeries } from '../plots/timeseries.js';
import { labelWithUnit } from './units.js';

export function download(name, text, type = 'text/plain') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/// A sweep's runs in one table (long form, since runs may save at different times): `run,PARAM [unit],t,KEY [unit]`,
/// values in their display units, a row per saved point of each finished run.
export function sweepCsv(info, runs, key, param) {
  const swept = [...info.parameters, ...info.states].find((v) => v.key === param);
  let unit = '';
  const rows = [];
  runs.forEach((run, i) => {
    if (!run.solution) return;
    const series = variableSeries(info, run.solution, key);
    if (!series) return;
    unit = series.variable.unit;
    for (let k = 0; k < run.solution.t.length; ++k)
      rows.push(`${i + 1},${run.value},${run.solution.t[k]},${series.values[k]}`);
  });
  return `${['run', labelWithUnit(param, swept?.unit), 't', labelWithUnit(key, unit)].join(',')}\n${rows.join('\n')}\n`;
}

/// An image of a plot as it is on screen, at a printable size, with a title (the model and what is plotted) above it.
export async function downloadPlot(element, format, name, title = '') {
  const Plotly = await plotlyReady;
  const layout = { ...element.layout };
  if (title) {
    layout.title = { text: title, font: { size: 18 }, x: 0.02, xanchor: 'left', y: 0.98, yanchor: 'top' };
    layout.margin = { ...(layout.margin ?? {}), t: Math.max(60, layout.margin?.t ?? 0) };
  }
  const url = await Plotly.toImage({ data: element.data, layout }, { format, width: 1200, height: 700 });
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
}
