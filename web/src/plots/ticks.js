// Axis ticks a reader can trust, applied to any Plotly figure (pure: no Plotly, no DOM; unit-tested under Node).
// - Log axes: ticks at 1, 2 and 5 of each decade, labelled with the whole number ("0.5", "20", not Plotly's bare
//   minor digits "5" and "2", which read as 5 Hz and 2 Hz); 1 per decade when the data span many decades.
// - Phase axes (in degrees): ticks at multiples of 45 or 90 degrees.

/// A number as a tick label: plain decimals within 1e-4 .. 1e6, else 1e-5 style; no float noise (0.30000000000000004).
export function tickLabel(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(6)));
  const exponent = Math.floor(Math.log10(a) + 1e-9);
  const mantissa = Number((v / 10 ** exponent).toPrecision(3));
  return mantissa === 1 ? `1e${exponent}` : `${mantissa}e${exponent}`;
}

/// Ticks for a log axis over [lo, hi] (positive): {tickvals, ticktext}.
export function logTicks(lo, hi) {
  if (!(lo > 0 && hi >= lo) || !Number.isFinite(hi)) return null;
  const first = Math.floor(Math.log10(lo) + 1e-9);
  const last = Math.ceil(Math.log10(hi) - 1e-9);
  const decades = last - first;
  const steps = decades <= 3 ? [1, 2, 5] : decades <= 6 ? [1, 3] : [1];
  const every = decades > 12 ? Math.ceil(decades / 12) : 1;
  const tickvals = [];
  for (let d = first; d <= last; d += every)
    for (const m of steps) {
      const v = Number((m * 10 ** d).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) tickvals.push(v);
    }
  // A range inside one decade without a 1-2-5 tick in it: its two ends.
  if (tickvals.length < 2)
    return {
      tickvals: [lo, hi],
      ticktext: [tickLabel(Number(lo.toPrecision(3))), tickLabel(Number(hi.toPrecision(3)))],
    };
  return { tickvals, ticktext: tickvals.map(tickLabel) };
}

/// The step between phase ticks (degrees) for data spanning `span` degrees: 45 or 90 (180 for very long spans).
export function phaseStep(span) {
  if (!(span >= 0)) return 45;
  if (span <= 270) return 45;
  if (span <= 720) return 90;
  return 180 * Math.ceil(span / 1440);
}

const axisOf = (trace, letter) => {
  const ref = trace[`${letter}axis`] ?? letter;
  return ref === letter ? `${letter}axis` : `${letter}axis${ref.slice(1)}`;
};

function finiteValues(values, positive) {
  const out = [];
  for (const v of values ?? []) if (Number.isFinite(v) && (!positive || v > 0)) out.push(v);
  return out;
}

function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/// Sets log and phase ticks on a figure's axes from the data drawn on them. Returns the figure.
export function readableTicks(figure) {
  const layout = figure.layout ?? {};
  const byAxis = new Map();
  for (const trace of figure.data ?? []) {
    for (const letter of ['x', 'y']) {
      const name = axisOf(trace, letter);
      if (!byAxis.has(name)) byAxis.set(name, []);
      byAxis.get(name).push(trace[letter]);
    }
  }
  for (const [name, axis] of Object.entries(layout)) {
    if (!/^[xy]axis\d*$/.test(name) || !axis || axis.tickvals) continue;
    const series = byAxis.get(name) ?? [];
    const title = String(axis.title?.text ?? '');
    if (axis.type === 'log') {
      const values = series.flatMap((s) => finiteValues(s, true));
      if (!values.length) continue;
      const [lo, hi] = extent(values);
      const ticks = logTicks(lo, hi);
      if (ticks) Object.assign(axis, { tickmode: 'array', ...ticks });
    } else if (/^phase\b/i.test(title) && /deg/.test(title)) {
      const values = series.flatMap((s) => finiteValues(s, false));
      if (!values.length) continue;
      const [lo, hi] = extent(values);
      Object.assign(axis, { tickmode: 'linear', tick0: 0, dtick: phaseStep(hi - lo) });
    }
  }
  return figure;
}
