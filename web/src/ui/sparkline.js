// A gallery card's preview: what the model shows first (its `plots: phase` portrait, else the first three of its
// `plots: show` or of its states against time), as SVG path data in a small box. Pure: the card draws the paths.
import { defaultKeys, variableSeries } from '../plots/timeseries.js';

/// Path data for points (xs[i], ys[i]) scaled into [pad, width - pad] x [pad, height - pad]; y grows upwards. A
/// non-finite value breaks the line. xRange/yRange default to the data's own.
export function sparkPath(xs, ys, { width = 120, height = 40, pad = 2, xRange = null, yRange = null } = {}) {
  const finite = (v) => Number.isFinite(v);
  const range = (vs) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of vs) if (finite(v)) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
    if (!finite(lo)) return [0, 1];
    if (hi - lo <= 1e-12 * Math.max(1, Math.abs(hi))) return [lo - 1, hi + 1]; // a constant: a line in the middle
    return [lo, hi];
  };
  const [x0, x1] = xRange ?? range(xs);
  const [y0, y1] = yRange ?? range(ys);
  const sx = (width - 2 * pad) / (x1 - x0);
  const sy = (height - 2 * pad) / (y1 - y0);
  let d = '';
  let pen = 'M';
  for (let i = 0; i < Math.min(xs.length, ys.length); ++i) {
    if (!finite(xs[i]) || !finite(ys[i])) {
      pen = 'M';
      continue;
    }
    const x = pad + (xs[i] - x0) * sx;
    const y = height - pad - (ys[i] - y0) * sy;
    d += `${pen}${x.toFixed(1)} ${y.toFixed(1)}`;
    pen = 'L';
  }
  return d;
}

/// {kind: 'phase' | 'time', paths: [{key, d}], label} for a solved model ({info, solution} as the core gives them).
/// Each curve against time has its own vertical scale (the keys may have different units).
export function previewPaths(info, solution, size = {}) {
  const phase = info.plots?.phase;
  if (phase?.length === 2) {
    const x = variableSeries(info, solution, phase[0]);
    const y = variableSeries(info, solution, phase[1]);
    if (x && y)
      return {
        kind: 'phase',
        paths: [{ key: phase[1], d: sparkPath(x.values, y.values, size) }],
        label: `${phase[1]} against ${phase[0]}`,
      };
  }
  const keys = defaultKeys(info).slice(0, 3);
  const paths = [];
  for (const key of keys) {
    const s = variableSeries(info, solution, key);
    if (s) paths.push({ key, d: sparkPath(solution.t, s.values, size) });
  }
  return { kind: 'time', paths, label: `${paths.map((p) => p.key).join(', ')} against time` };
}
