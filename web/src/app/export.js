// Downloads made in the page (Blob URLs, nothing leaves the machine): solution CSV, model and plan files, results
// JSON and CSV tables, plot images.
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

/// The layout of `numen run --outputs`: a header `t,<states>,<outputs>`, each column named `key [unit]` (the bare key
/// without a unit) and given in that display unit, a row per saved point, shortest round-trip numbers.
export function solutionCsv(info, solution, keys = [...info.states.map((s) => s.key), ...info.outputs.map((o) => o.key)]) {
  const columns = keys.map((k) => ({ key: k, series: variableSeries(info, solution, k) })).filter((c) => c.series);
  const lines = [['t', ...columns.map((c) => labelWithUnit(c.key, c.series.variable.unit))].join(',')];
  for (let k = 0; k < solution.t.length; ++k) {
    const row = [String(solution.t[k])];
    for (const c of columns) row.push(String(c.series.values[k]));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

export async function downloadPlot(element, format, name) {
  return (await plotlyReady).downloadImage(element, { format, filename: name, width: 1200, height: 700 });
}
