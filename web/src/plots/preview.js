// The first plot before Plotly has loaded: a static SVG drawing of the same time-series figure (its stacked panels,
// curves in their colours and dashes, axis titles and end values), replaced by the interactive plot as soon as the
// plotting library is there. On a phone, Plotly's 1.1 MB take most of a second to run; the solution is ready long
// before. previewGeometry is pure (unit-tested under Node); drawPreview makes the DOM, text as text only.

const NS = 'http://www.w3.org/2000/svg';

/// Plotly's dash names as SVG stroke-dasharray.
export function dashArray(dash, width = 2) {
  const named = { dash: [9, 3], dot: [2, 3], dashdot: [9, 3, 2, 3], longdash: [15, 4], longdashdot: [15, 4, 2, 4] };
  if (!dash || dash === 'solid') return null;
  if (named[dash]) return named[dash].map((v) => v * Math.max(1, width / 2)).join(' ');
  return String(dash).replace(/px/g, '').replace(/,/g, ' ');
}

function tick(v) {
  if (!Number.isFinite(v)) return '';
  return String(Number(v.toPrecision(3)));
}

/// Where everything of a time-series figure goes in a width x height drawing: panels (one per y axis, with the value
/// range and title), the time range, and one SVG path per trace (min and max of each pixel column, so a fast
/// oscillation keeps its envelope).
export function previewGeometry(figure, width, height) {
  const { data, layout } = figure;
  const margin = {
    l: layout.margin?.l ?? 70,
    r: layout.margin?.r ?? 20,
    t: Math.max(layout.margin?.t ?? 20, 36),
    b: layout.margin?.b ?? 50,
  };
  const plotW = Math.max(10, width - margin.l - margin.r);
  const plotH = Math.max(10, height - margin.t - margin.b);
  const axisNames = Object.keys(layout).filter((k) => /^yaxis\d*$/.test(k));
  const finite = (arr) => Array.from(arr ?? []).filter(Number.isFinite);
  let tLo = Infinity;
  let tHi = -Infinity;
  for (const trace of data) for (const t of finite(trace.x)) ((tLo = Math.min(tLo, t)), (tHi = Math.max(tHi, t)));
  if (!(tHi > tLo)) ((tLo = 0), (tHi = 1));
  const panels = axisNames.map((name) => {
    const ref = name === 'yaxis' ? 'y' : `y${name.slice(5)}`;
    const traces = data.filter((d) => (d.yaxis ?? 'y') === ref);
    let lo = Infinity;
    let hi = -Infinity;
    for (const trace of traces) for (const v of finite(trace.y)) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
    if (!(hi > lo)) ((lo = Number.isFinite(lo) ? lo - 1 : 0), (hi = Number.isFinite(hi) ? hi + 1 : 1));
    const pad = (hi - lo) * 0.05;
    const [d0, d1] = layout[name].domain ?? [0, 1];
    return {
      ref,
      title: layout[name].title?.text ?? '',
      lo: lo - pad,
      hi: hi + pad,
      top: margin.t + (1 - d1) * plotH,
      bottom: margin.t + (1 - d0) * plotH,
    };
  });
  const paths = [];
  for (const trace of data) {
    const panel = panels.find((p) => p.ref === (trace.yaxis ?? 'y'));
    if (!panel || !trace.x?.length) continue;
    const px = (t) => margin.l + ((t - tLo) / (tHi - tLo)) * plotW;
    const py = (v) => panel.bottom - ((v - panel.lo) / (panel.hi - panel.lo)) * (panel.bottom - panel.top);
    const columns = new Map();
    for (let i = 0; i < trace.x.length; ++i) {
      const t = trace.x[i];
      const v = trace.y[i];
      if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
      const c = Math.round(px(t) * 2) / 2; // half-pixel columns
      const col = columns.get(c);
      if (!col) columns.set(c, { first: v, min: v, max: v, last: v });
      else ((col.min = Math.min(col.min, v)), (col.max = Math.max(col.max, v)), (col.last = v));
    }
    const parts = [];
    for (const [c, col] of columns) {
      parts.push(`${parts.length ? 'L' : 'M'}${c.toFixed(1)} ${py(col.first).toFixed(1)}`);
      if (col.min !== col.first || col.max !== col.first)
        parts.push(`L${c.toFixed(1)} ${py(col.min).toFixed(1)}L${c.toFixed(1)} ${py(col.max).toFixed(1)}`);
      parts.push(`L${c.toFixed(1)} ${py(col.last).toFixed(1)}`);
    }
    paths.push({
      d: parts.join(''),
      color: trace.line?.color ?? '#444',
      width: trace.line?.width ?? 2,
      dash: dashArray(trace.line?.dash, trace.line?.width),
      opacity: trace.opacity ?? 1,
    });
  }
  return {
    margin,
    plotW,
    plotH,
    panels,
    paths,
    time: { lo: tLo, hi: tHi, title: layout.xaxis?.title?.text ?? 't' },
    ticks: { tLo: tick(tLo), tHi: tick(tHi) },
    tick,
  };
}

/// Draws the preview into `el` (replacing an earlier one); colors: {paper, text, grid}. Returns the SVG element.
export function drawPreview(el, figure, colors) {
  el.querySelector(':scope > .plot-preview')?.remove();
  const width = el.clientWidth || 600;
  const height = el.clientHeight || 400;
  const g = previewGeometry(figure, width, height);
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('class', 'plot-preview');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'solution plot (the interactive plot is loading)');
  svg.style.cssText = `display:block;background:${colors.paper};font:12px system-ui,sans-serif`;
  const add = (name, attrs, text) => {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  const right = g.margin.l + g.plotW;
  for (const p of g.panels) {
    add('rect', {
      x: g.margin.l,
      y: p.top,
      width: g.plotW,
      height: p.bottom - p.top,
      fill: 'none',
      stroke: colors.grid,
    });
    add('text', { x: g.margin.l - 6, y: p.top + 10, 'text-anchor': 'end', fill: colors.text }, g.tick(p.hi));
    add('text', { x: g.margin.l - 6, y: p.bottom, 'text-anchor': 'end', fill: colors.text }, g.tick(p.lo));
    add(
      'text',
      {
        x: 14,
        y: (p.top + p.bottom) / 2,
        'text-anchor': 'middle',
        fill: colors.text,
        transform: `rotate(-90 14 ${(p.top + p.bottom) / 2})`,
      },
      p.title,
    );
  }
  for (const path of g.paths)
    add('path', {
      d: path.d,
      fill: 'none',
      stroke: path.color,
      'stroke-width': path.width,
      'stroke-dasharray': path.dash,
      opacity: path.opacity,
      'stroke-linejoin': 'round',
    });
  const bottom = g.margin.t + g.plotH;
  add('text', { x: g.margin.l, y: bottom + 16, 'text-anchor': 'start', fill: colors.text }, g.ticks.tLo);
  add('text', { x: right, y: bottom + 16, 'text-anchor': 'end', fill: colors.text }, g.ticks.tHi);
  add(
    'text',
    { x: g.margin.l + g.plotW / 2, y: bottom + 34, 'text-anchor': 'middle', fill: colors.text },
    g.time.title,
  );
  add(
    'text',
    { x: right, y: 16, 'text-anchor': 'end', fill: colors.text, opacity: 0.7 },
    'loading the interactive plot…',
  );
  el.append(svg);
  return svg;
}
