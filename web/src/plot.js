// Plotly figures built from a solution's typed arrays (state-major: series i is x[i*nt .. (i+1)*nt)).
import Plotly from 'plotly.js-cartesian-dist-min';

const config = { displaylogo: false, responsive: true };

export function seriesOf(data, index, nt) {
  return data.subarray(index * nt, (index + 1) * nt);
}

export function plotTimeSeries(element, info, solution, { keys } = {}) {
  const nt = solution.t.length;
  const chosen = keys ?? info.states.map((s) => s.key);
  const traces = [];
  const units = new Set();
  for (const key of chosen) {
    const stateIndex = info.states.findIndex((s) => s.key === key);
    const outputIndex = info.outputs.findIndex((s) => s.key === key);
    const variable = stateIndex >= 0 ? info.states[stateIndex] : info.outputs[outputIndex];
    if (!variable) continue;
    const values = stateIndex >= 0 ? seriesOf(solution.x, stateIndex, nt) : seriesOf(solution.y, outputIndex, nt);
    units.add(variable.unit || '1');
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: variable.unit ? `${key} [${variable.unit}]` : key,
      x: Array.from(solution.t),
      y: Array.from(values),
    });
  }
  const layout = {
    margin: { l: 60, r: 20, t: 30, b: 50 },
    xaxis: { title: { text: 't [s]' } },
    yaxis: { title: { text: units.size === 1 ? [...units][0] : 'value' } },
    legend: { orientation: 'h', y: -0.2 },
    uirevision: info.name,
  };
  return Plotly.react(element, traces, layout, config);
}
