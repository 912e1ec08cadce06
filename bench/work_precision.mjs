// Work-precision from Google Benchmark JSON files (benchmarks named GROUP/PROBLEM/METHOD/TOLEXP with an `error`
// counter): for each problem, the time every method needs to reach the reference method's achieved errors,
// interpolated on log-log axes, as a ratio to the reference. Usage:
//   node bench/work_precision.mjs REFERENCE_METHOD FILE.json [FILE.json ...]
import fs from 'node:fs';

const [reference, ...files] = process.argv.slice(2);
const unit = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 }; // to milliseconds
const curves = new Map(); // problem -> method -> [{error, ms}]
for (const file of files) {
  for (const b of JSON.parse(fs.readFileSync(file, 'utf8')).benchmarks) {
    const [, problem, method] = b.name.split('/');
    if (!(b.error > 0 && b.error < 0.1)) continue; // failed or far off: no point on the curve
    if (!curves.has(problem)) curves.set(problem, new Map());
    const byMethod = curves.get(problem);
    if (!byMethod.has(method)) byMethod.set(method, []);
    byMethod.get(method).push({ error: b.error, ms: b.real_time * unit[b.time_unit ?? 'ns'] });
  }
}

// log(time) at log(error) by linear interpolation between neighbouring points (errors sorted), or undefined
// outside the curve's range.
function timeAt(points, error) {
  const p = [...points].sort((a, b) => b.error - a.error);
  for (let i = 0; i + 1 < p.length; ++i) {
    const [a, b] = [p[i], p[i + 1]];
    if (error <= a.error && error >= b.error) {
      const w = (Math.log(a.error) - Math.log(error)) / (Math.log(a.error) - Math.log(b.error) || 1);
      return Math.exp(Math.log(a.ms) + w * (Math.log(b.ms) - Math.log(a.ms)));
    }
  }
  return undefined;
}

const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
for (const [problem, byMethod] of curves) {
  const ref = byMethod.get(reference);
  if (!ref) continue;
  console.log(
    `\n${problem}: time to reach ${reference}'s achieved error, as a ratio to ${reference} (lower is faster)`,
  );
  const methods = [...byMethod.keys()].filter((m) => m !== reference);
  console.log(`| ${reference} error | ${reference} time | ${methods.map((m) => `${m} / ${reference}`).join(' | ')} |`);
  console.log(`|---|---|${methods.map(() => '---').join('|')}|`);
  const ratios = Object.fromEntries(methods.map((m) => [m, []]));
  for (const point of [...ref].sort((a, b) => b.error - a.error)) {
    const cells = methods.map((m) => {
      const t = timeAt(byMethod.get(m), point.error);
      if (t === undefined) return '—';
      ratios[m].push(t / point.ms);
      return (t / point.ms).toFixed(2);
    });
    console.log(`| ${point.error.toExponential(1)} | ${point.ms.toFixed(3)} ms | ${cells.join(' | ')} |`);
  }
  console.log(
    `| geometric mean | | ${methods.map((m) => (ratios[m].length ? geomean(ratios[m]).toFixed(2) : '—')).join(' | ')} |`,
  );
}
