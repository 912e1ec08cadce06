// Characterization panels: Plotly figures from a results document (numen characterize's results.json, merged in a
// worker). One builder per panel type of the plan schema; sweeps show as families coloured by the swept value.
import { familyColor, familyColorbar, familyColorscale, palette, scalePosition } from './timeseries.js';
import { readableTicks } from './ticks.js';
import { withCursors } from './cursors.js';
import { tidyUnit } from '../app/units.js';

/// A panel's legend to the right of its plot, clear of its title (top) and its axis titles (bottom).
const legendRight = { orientation: 'v', x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' };

const FRF_TYPES = new Set(['discrete_frequency_sweep', 'continuous_chirp', 'linearized_frf', 'stochastic_excitation']);

/// An axis title with its unit: `name [unit]`, or the bare name for a quantity without one.
export function withUnit(name, unit) {
  const u = tidyUnit(unit);
  return u ? `${name} [${u}]` : name;
}

/// A level in dB of a quantity in `unit`, with its reference: `name [dB re 1 m/N]` (plain dB for a pure ratio).
export function inDecibels(name, unit) {
  const u = tidyUnit(unit);
  return u && u !== '1' ? `${name} [dB re 1 ${u}]` : `${name} [dB]`;
}

export function table(result, name) {
  const t = result?.tables?.[name];
  if (!t) return null;
  const columns = {};
  t.columns.forEach((c, i) => {
    columns[c] = t.data[i].map((v) => (v === null ? NaN : v));
  });
  const units = Object.fromEntries(t.columns.map((c, i) => [c, t.units?.[i] ?? '']));
  return { columns, units };
}

/// Stacked rows sharing x: rows = [{height, title, type, ...axis}] -> layout axes yaxis, yaxis2, ...
function stacked(rows, xaxis, extra = {}) {
  const gap = 0.06;
  const total = rows.reduce((s, r) => s + (r.height ?? 1), 0);
  const usable = 1 - gap * (rows.length - 1);
  const layout = { margin: { l: 70, r: 30, t: 40, b: 50 }, showlegend: true, legend: legendRight, ...extra };
  let top = 1;
  rows.forEach((r, i) => {
    const h = (usable * (r.height ?? 1)) / total;
    const { height, ...axis } = r;
    layout[i === 0 ? 'yaxis' : `yaxis${i + 1}`] = { ...axis, domain: [Math.max(0, top - h), top], anchor: 'x' };
    top -= h + gap;
  });
  layout.xaxis = { ...xaxis, anchor: rows.length > 1 ? `y${rows.length}` : 'y' };
  return layout;
}

const yref = (row) => (row === 0 ? 'y' : `y${row + 1}`);

/// The runs to draw for a test: itself, or its family's members (recursively flattened) with their values.
function members(result) {
  if (!result?.family) return [{ result, label: result?.name ?? '', value: null }];
  const out = [];
  for (const m of result.family) {
    const label = Object.entries(m.values)
      .map(([k, v]) => `${k} = ${Number(v).toPrecision(3)}`)
      .join(', ');
    const value = Object.values(m.values)[0];
    for (const inner of members(m.result)) {
      out.push({
        result: inner.result,
        label: inner.label && inner.value !== null ? `${label}; ${inner.label}` : label,
        value: inner.value ?? value,
      });
    }
  }
  return out;
}

function runsOf(doc, names) {
  const runs = [];
  names.forEach((name, testIndex) => {
    const result = doc.tests.find((t) => t.name === name);
    if (!result) return;
    const list = members({ ...result, name });
    const family = Boolean(result.family);
    const position = family ? scalePosition(list.map((m) => m.value)) : null;
    list.forEach((m) => {
      runs.push({
        test: name,
        type: result.sub_type ?? result.type,
        result: m.result,
        name: family ? `${name}: ${m.label}` : name,
        color: family ? familyColor(position(m.value)) : palette[testIndex % palette.length],
        family,
        value: m.value,
      });
    });
  });
  return runs;
}

function traceStyle(run) {
  const noisy = run.type === 'continuous_chirp' || run.type === 'stochastic_excitation';
  const sampled = run.type === 'discrete_frequency_sweep';
  return {
    mode: sampled ? 'lines+markers' : 'lines',
    line: {
      color: run.color,
      width: noisy ? 1 : 2,
      dash: run.type === 'linearized_frf' && !run.family ? 'dash' : 'solid',
    },
    marker: { color: run.color, size: 6 },
  };
}

function colorbar(runs, title) {
  const values = runs.filter((r) => r.family && Number.isFinite(r.value)).map((r) => r.value);
  return values.length < 2 ? [] : [familyColorbar(values, title)];
}

function bode(panel, doc) {
  const runs = runsOf(doc, panel.tests).filter((r) => r.result?.tables?.frf);
  const db = panel.db !== false;
  const phase = panel.phase !== false;
  const data = [];
  for (const run of runs) {
    const t = table(run.result, 'frf');
    const style = traceStyle(run);
    data.push({
      type: 'scatter',
      name: run.name,
      x: t.columns.frequency,
      y: db ? t.columns.magnitude_db : t.columns.magnitude,
      ...style,
      legendgroup: run.name,
      showlegend: runs.length <= 12,
    });
    if (phase)
      data.push({
        type: 'scatter',
        name: run.name,
        x: t.columns.frequency,
        y: t.columns.phase_deg,
        yaxis: 'y2',
        ...style,
        legendgroup: run.name,
        showlegend: false,
      });
  }
  data.push(...colorbar(runs, panel.color_by));
  const unit = runs[0] ? table(runs[0].result, 'frf').units.magnitude : '';
  const rows = [
    { height: 2, title: { text: db ? inDecibels('|H|', unit) : withUnit('|H|', unit) }, type: db ? 'linear' : 'log' },
  ];
  if (phase) rows.push({ height: 1, title: { text: 'phase [deg]' } });
  return {
    data,
    layout: stacked(
      rows,
      { title: { text: 'frequency [Hz]' }, type: panel.log_x === false ? 'linear' : 'log' },
      { title: { text: panel.title ?? 'Bode' } },
    ),
  };
}

function nyquist(panel, doc) {
  const runs = runsOf(doc, panel.tests).filter((r) => r.result?.tables?.frf);
  const data = runs.map((run) => {
    const t = table(run.result, 'frf');
    return {
      type: 'scatter',
      name: run.name,
      x: t.columns.real,
      y: t.columns.imag,
      ...traceStyle(run),
      showlegend: runs.length <= 12,
    };
  });
  data.push(...colorbar(runs, panel.color_by));
  const units = runs[0] ? table(runs[0].result, 'frf').units : {};
  return {
    data,
    layout: {
      title: { text: panel.title ?? 'Nyquist' },
      margin: { l: 70, r: 30, t: 40, b: 50 },
      xaxis: { title: { text: withUnit('Re H', units.real) }, zeroline: true },
      yaxis: { title: { text: withUnit('Im H', units.imag) }, scaleanchor: 'x', zeroline: true },
      legend: legendRight,
    },
  };
}

function chirpTimeseries(panel, doc) {
  const runs = runsOf(doc, panel.tests).filter((r) => r.result?.tables?.timeseries);
  const data = [];
  runs.forEach((run, i) => {
    const t = table(run.result, 'timeseries');
    if (i === 0)
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `${run.name} input`,
        x: t.columns.time,
        y: t.columns.input,
        line: { color: '#868e96', width: 1 },
      });
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: run.name,
      x: t.columns.time,
      y: t.columns.response,
      yaxis: 'y2',
      line: { color: run.color, width: 1.2 },
    });
  });
  const t0 = runs[0] && table(runs[0].result, 'timeseries');
  return {
    data,
    layout: stacked(
      [
        { title: { text: withUnit('input', t0?.units.input) } },
        { height: 2, title: { text: withUnit('response', t0?.units.response) } },
      ],
      { title: { text: withUnit('t', t0?.units.time || 's') } },
      { title: { text: panel.title ?? 'Chirp' } },
    ),
  };
}

function amplitudeSweep(panel, doc) {
  const runs = runsOf(doc, panel.tests).filter((r) => r.result?.tables?.amplitude_response);
  const data = [];
  for (const run of runs) {
    const t = table(run.result, 'amplitude_response');
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: run.name,
      x: t.columns.amplitude,
      y: panel.db ? t.columns.magnitude.map((m) => 20 * Math.log10(m)) : t.columns.magnitude,
      line: { color: run.color },
      marker: { color: run.color },
    });
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: run.name,
      x: t.columns.amplitude,
      y: t.columns.phase_deg,
      yaxis: 'y2',
      line: { color: run.color },
      marker: { color: run.color },
      showlegend: false,
    });
  }
  const units = runs[0] ? table(runs[0].result, 'amplitude_response').units : {};
  return {
    data,
    layout: stacked(
      [
        {
          height: 2,
          title: { text: panel.db ? inDecibels('gain', units.magnitude) : withUnit('|H|', units.magnitude) },
          type: panel.db ? 'linear' : 'log',
        },
        { title: { text: 'phase [deg]' } },
      ],
      { title: { text: withUnit('drive amplitude', units.amplitude) }, type: 'log' },
      { title: { text: panel.title ?? 'Amplitude sweep' } },
    ),
  };
}

function dcSweep(panel, doc) {
  const runs = runsOf(doc, panel.tests).filter((r) => r.result?.tables?.dc_response);
  const data = [];
  for (const run of runs) {
    const t = table(run.result, 'dc_response');
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${run.name} |H|`,
      x: t.columns.dc,
      y: t.columns.magnitude,
      line: { color: run.color },
    });
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${run.name} operating output`,
      x: t.columns.dc,
      y: t.columns.operating_output,
      yaxis: 'y2',
      line: { color: run.color, dash: 'dot' },
    });
  }
  const units = runs[0] ? table(runs[0].result, 'dc_response').units : {};
  return {
    data,
    layout: stacked(
      [
        { title: { text: withUnit('small-signal |H|', units.magnitude) } },
        { title: { text: withUnit('operating output', units.operating_output) } },
      ],
      { title: { text: withUnit('DC offset', units.dc) } },
      { title: { text: panel.title ?? 'DC operating points' } },
    ),
  };
}

function metricsVsKey(panel, doc) {
  const data = [];
  let xTitle = '';
  for (const name of panel.tests) {
    const result = doc.tests.find((t) => t.name === name);
    const t = table(result, 'metrics') ?? table(result, 'design');
    if (!t) continue;
    const keys = result.swept ?? [];
    xTitle = panel.color_by ?? keys[0];
    const metrics = panel.metric
      ? [panel.metric]
      : Object.keys(t.columns)
          .filter((c) => !keys.includes(c))
          .slice(0, 4);
    metrics.forEach((m, i) =>
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `${name}: ${m}`,
        x: t.columns[xTitle],
        y: t.columns[m],
        yaxis: i === 0 ? 'y' : `y${i + 1}`,
        line: { color: palette[i % palette.length] },
      }),
    );
    return {
      data,
      layout: stacked(
        metrics.map((m) => ({ title: { text: m } })),
        { title: { text: xTitle } },
        { title: { text: panel.title ?? name } },
      ),
    };
  }
  return { data, layout: {} };
}

function parameterFamily(panel, doc) {
  const first = doc.tests.find((t) => t.name === panel.tests[0]);
  const inner = first?.sub_type;
  if (FRF_TYPES.has(inner)) return bode({ ...panel, title: panel.title ?? `${panel.tests.join(', ')}` }, doc);
  if (inner === 'amplitude_sweep') return amplitudeSweep(panel, doc);
  if (inner === 'dc_operating_point_sweep') return dcSweep(panel, doc);
  return metricsVsKey(panel, doc);
}

function doeScatter(panel, doc) {
  const result = doc.tests.find((t) => t.name === panel.tests[0]);
  const t = table(result, 'design');
  if (!t) return { data: [], layout: {} };
  const keys = result.swept ?? [];
  const metric = panel.metric ?? result.outputs?.[0] ?? Object.keys(t.columns).find((c) => !keys.includes(c));
  const xKey = keys[0];
  const colorKey = panel.color_by ?? keys[1];
  const data = [
    {
      type: 'scatter',
      mode: 'markers',
      name: metric,
      x: t.columns[xKey],
      y: t.columns[metric],
      marker: {
        size: 10,
        color: colorKey ? t.columns[colorKey] : palette[0],
        colorscale: familyColorscale,
        showscale: Boolean(colorKey),
        colorbar: colorKey ? { title: { text: colorKey }, thickness: 14 } : undefined,
      },
      text: t.columns[xKey].map((_, i) => keys.map((k) => `${k} = ${t.columns[k][i].toPrecision(4)}`).join('<br>')),
    },
  ];
  return {
    data,
    layout: {
      title: { text: panel.title ?? `${result.design}: ${metric}` },
      margin: { l: 70, r: 30, t: 40, b: 50 },
      xaxis: { title: { text: xKey } },
      yaxis: { title: { text: metric } },
    },
  };
}

function gridHeatmap(panel, doc) {
  const result = doc.tests.find((t) => t.name === panel.tests[0]);
  const t = table(result, 'metrics');
  const keys = result?.swept ?? [];
  if (!t || keys.length < 2) return metricsVsKey(panel, doc);
  const metric = panel.metric ?? Object.keys(t.columns).find((c) => !keys.includes(c));
  const xs = [...new Set(t.columns[keys[0]])].sort((a, b) => a - b);
  const ys = [...new Set(t.columns[keys[1]])].sort((a, b) => a - b);
  const z = ys.map(() => xs.map(() => NaN));
  t.columns[metric].forEach((v, i) => {
    z[ys.indexOf(t.columns[keys[1]][i])][xs.indexOf(t.columns[keys[0]][i])] = v;
  });
  return {
    data: [
      {
        type: 'heatmap',
        x: xs.map(String),
        y: ys.map(String),
        z,
        colorscale: familyColorscale,
        colorbar: { title: { text: metric } },
      },
    ],
    layout: {
      title: { text: panel.title ?? metric },
      margin: { l: 80, r: 30, t: 40, b: 60 },
      xaxis: { title: { text: keys[0] }, type: 'category' },
      yaxis: { title: { text: keys[1] }, type: 'category' },
    },
  };
}

function twoTone(panel, doc) {
  const runs = runsOf(doc, panel.tests).filter((r) => r.result?.tables?.products);
  const data = [];
  for (const run of runs) {
    const t = table(run.result, 'products');
    const byOrder = new Map();
    t.columns.order.forEach((o, i) => {
      if (!byOrder.has(o)) byOrder.set(o, []);
      byOrder.get(o).push(i);
    });
    for (const [order, rows] of byOrder)
      data.push({
        type: 'bar',
        name: `${run.name} order ${order}`,
        x: rows.map((i) => t.columns.frequency[i]),
        y: rows.map((i) => t.columns.level_dbc[i]),
        base: -200,
        width: 0.01,
        marker: { color: palette[(order - 1) % palette.length] },
      });
  }
  return {
    data,
    layout: {
      title: { text: panel.title ?? 'Two-tone products' },
      margin: { l: 70, r: 30, t: 40, b: 50 },
      xaxis: { title: { text: 'frequency [Hz]' } },
      yaxis: { title: { text: 'level [dBc]' } },
      barmode: 'overlay',
      legend: legendRight,
    },
  };
}

function thdSpectrum(panel, doc) {
  const runs = runsOf(doc, panel.tests).filter((r) => r.result?.tables?.harmonics);
  const data = [];
  for (const run of runs) {
    const t = table(run.result, 'harmonics');
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${run.name} THD`,
      x: t.columns.frequency,
      y: t.columns.thd_percent,
      line: { color: run.color },
    });
    const harmonics = Object.keys(t.columns).filter((c) => /^h\d+_amplitude$/.test(c) && c !== 'h1_amplitude');
    harmonics.forEach((h, i) => {
      const dbc = t.columns[h].map((a, k) => 20 * Math.log10(a / t.columns.h1_amplitude[k]));
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `${run.name} ${h.replace('_amplitude', '')}`,
        x: t.columns.frequency,
        y: dbc,
        yaxis: 'y2',
        line: { color: palette[(i + 1) % palette.length] },
      });
    });
  }
  return {
    data,
    layout: stacked(
      [{ title: { text: 'THD [%]' }, type: 'log' }, { title: { text: 'harmonic [dBc]' } }],
      { title: { text: 'frequency [Hz]' }, type: 'log' },
      { title: { text: panel.title ?? 'Harmonic distortion' } },
    ),
  };
}

function backbone(panel, doc) {
  const runs = runsOf(doc, panel.tests).filter((r) => r.result?.tables?.backbone);
  const data = [];
  for (const run of runs) {
    const b = table(run.result, 'backbone');
    const d = table(run.result, 'decay');
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${run.name} backbone`,
      x: b.columns.frequency,
      y: b.columns.amplitude,
      line: { color: run.color },
    });
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${run.name} damping ratio`,
      x: b.columns.amplitude,
      y: b.columns.damping_ratio,
      xaxis: 'x2',
      yaxis: 'y2',
      line: { color: run.color, dash: 'dot' },
    });
    if (d) {
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `${run.name} response`,
        x: d.columns.time,
        y: d.columns.response,
        xaxis: 'x3',
        yaxis: 'y3',
        line: { color: '#868e96', width: 1 },
      });
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `${run.name} envelope`,
        x: d.columns.time,
        y: d.columns.envelope,
        xaxis: 'x3',
        yaxis: 'y3',
        line: { color: run.color },
      });
    }
  }
  const units = runs[0] ? table(runs[0].result, 'backbone').units : {};
  const decayUnits = (runs[0] && table(runs[0].result, 'decay')?.units) ?? {};
  return {
    data,
    layout: {
      title: { text: panel.title ?? 'Free decay' },
      grid: { rows: 2, columns: 2, pattern: 'independent' },
      margin: { l: 70, r: 30, t: 40, b: 50 },
      xaxis: { title: { text: 'frequency [Hz]' }, domain: [0, 0.45] },
      yaxis: { title: { text: withUnit('amplitude', units.amplitude) }, domain: [0.55, 1] },
      xaxis2: { title: { text: withUnit('amplitude', units.amplitude) }, domain: [0.55, 1], anchor: 'y2' },
      yaxis2: { title: { text: 'damping ratio' }, domain: [0.55, 1], anchor: 'x2' },
      xaxis3: { title: { text: 't [s]' }, domain: [0, 1], anchor: 'y3' },
      yaxis3: { title: { text: withUnit('response', decayUnits.response) }, domain: [0, 0.42], anchor: 'x3' },
      legend: legendRight,
    },
  };
}

function phasePortrait(panel, doc) {
  const runs = runsOf(doc, panel.tests).filter((r) => r.result?.tables?.trajectory);
  const data = [];
  for (const run of runs) {
    const t = table(run.result, 'trajectory');
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: run.name,
      x: t.columns.x,
      y: t.columns.y,
      line: { color: run.color, width: 1.2 },
    });
    const p = table(run.result, 'poincare');
    if (p)
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: `${run.name} Poincaré`,
        x: p.columns.x,
        y: p.columns.y,
        marker: { color: '#d9480f', size: 8, symbol: 'x' },
      });
  }
  const t0 = runs[0] && table(runs[0].result, 'trajectory');
  return {
    data,
    layout: {
      title: { text: panel.title ?? 'Phase portrait' },
      margin: { l: 70, r: 30, t: 40, b: 50 },
      xaxis: { title: { text: withUnit('x', t0?.units.x) } },
      yaxis: { title: { text: withUnit('y', t0?.units.y) } },
      legend: legendRight,
    },
  };
}

function stochastic(panel, doc) {
  const runs = runsOf(doc, panel.tests).filter((r) => r.result?.tables?.spectra);
  const data = [];
  for (const run of runs) {
    const s = table(run.result, 'spectra');
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${run.name} input PSD`,
      x: s.columns.frequency,
      y: s.columns.input_psd,
      line: { color: '#868e96', width: 1 },
    });
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${run.name} response PSD`,
      x: s.columns.frequency,
      y: s.columns.response_psd,
      line: { color: run.color, width: 1.4 },
    });
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${run.name} |H1|`,
      x: s.columns.frequency,
      y: s.columns.h1_magnitude,
      yaxis: 'y2',
      line: { color: run.color, width: 1.4 },
    });
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${run.name} coherence`,
      x: s.columns.frequency,
      y: s.columns.coherence,
      yaxis: 'y3',
      line: { color: '#2b8a3e', width: 1.2 },
    });
  }
  const units = runs[0] ? table(runs[0].result, 'spectra').units : {};
  return {
    data,
    layout: stacked(
      [
        { height: 1.4, title: { text: 'PSD' }, type: 'log', exponentformat: 'power' },
        { title: { text: withUnit('|H1|', units.h1_magnitude) }, type: 'log' },
        { height: 0.6, title: { text: 'coherence' }, range: [0, 1.05] },
      ],
      { title: { text: 'frequency [Hz]' }, type: 'log' },
      { title: { text: panel.title ?? 'Random vibration' } },
    ),
  };
}

const panelBuilders = {
  bode,
  nyquist,
  chirp_timeseries: chirpTimeseries,
  amplitude_sweep: amplitudeSweep,
  dc_sweep: dcSweep,
  parameter_family: parameterFamily,
  doe_scatter: doeScatter,
  parameter_grid_heatmap: gridHeatmap,
  two_tone_spectrum: twoTone,
  thd_spectrum: thdSpectrum,
  backbone_curve: backbone,
  phase_portrait: phasePortrait,
  stochastic_response: stochastic,
};

export function panelFigure(panel, doc) {
  const build = panelBuilders[panel.type];
  if (!build) return { data: [], layout: { title: { text: `unknown panel ${panel.type}` } } };
  const figure = withCursors(readableTicks(build(panel, doc)));
  // A family is read from its colour bar, which sits where the legend would: one of them, never both overlapping.
  if (figure.data.some((d) => d.marker?.showscale)) figure.layout.showlegend = false;
  figure.layout.uirevision = `${panel.type}:${panel.tests.join(',')}`;
  return figure;
}
