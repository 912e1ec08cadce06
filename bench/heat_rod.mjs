// The heat rod against CVODE (bench/heat_bench.cpp) from Google Benchmark JSON run with repetitions: medians per
// benchmark, as a table in milliseconds, ratios to CVODE, and the accuracy counters. Usage:
//   node bench/heat_rod.mjs FILE.json
// Times: the benchmark thread's CPU time (the solves are single-threaded; on a shared machine the wall time also
// counts the minutes other processes had the core), wall time in parentheses.
import fs from 'node:fs';

const file = process.argv[2];
const unit = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 }; // to milliseconds
const runs = new Map(); // name -> [benchmark entries]
// Aggregates of constant counters (coefficients of variation, 0 / 0) come out as bare NaN, which is not JSON.
const text = fs.readFileSync(file, 'utf8').replace(/-?\b(nan|NaN|inf|Infinity)\b/g, 'null');
for (const b of JSON.parse(text).benchmarks) {
  if (b.run_type === 'aggregate' || b.error_occurred) continue;
  const name = b.run_name ?? b.name;
  if (!runs.has(name)) runs.set(name, []);
  runs.get(name).push(b);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stat = (n, variant) => {
  const list = runs.get(`heat/${n}/${variant}/${n}`);
  if (!list) return undefined;
  const scale = unit[list[0].time_unit ?? 'ns'];
  return {
    cpu: median(list.map((b) => b.cpu_time * scale)),
    wall: median(list.map((b) => b.real_time * scale)),
    reps: list.length,
    ...list[0],
  };
};
const sizes = [...new Set([...runs.keys()].map((k) => Number(k.split('/')[1])))].sort((a, b) => a - b);
const ms = (s) => (s ? `${s.cpu.toFixed(s.cpu < 10 ? 2 : 1)} (${s.wall.toFixed(s.wall < 10 ? 2 : 1)})` : '-');
const ratio = (a, b) => (a && b ? (a.cpu / b.cpu).toFixed(2) : '-');
const sci = (v) => (v === undefined || v < 0 ? '-' : v.toExponential(1));

const reps = Math.max(...[...runs.values()].map((l) => l.length));
console.log(`Medians of ${reps} repetitions; ms of CPU time (wall time in parentheses); ratios of CPU times.`);
console.log(
  '| cells | numen, model (compiled tapes) | CVODE, banded | numen / CVODE | numen, model, SparseLU | ' +
    'numen, model, interpreted | numen, C++ f | compile the model | steps numen / CVODE | ' +
    'LU numen / CVODE | error vs exact, numen / CVODE | numen - CVODE |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const n of sizes) {
  const model = stat(n, 'model'),
    cvode = stat(n, 'CVODE');
  const sparse = stat(n, 'model-SparseLU'),
    interp = stat(n, 'model-interpreted'),
    cpp = stat(n, 'cpp');
  const compile = stat(n, 'compile');
  console.log(
    `| ${n.toLocaleString('en')} | ${ms(model)} | ${ms(cvode)} | **${ratio(model, cvode)}** | ` +
      `${ms(sparse)} (${ratio(sparse, cvode)}) | ${ms(interp)} (${ratio(interp, cvode)}) | ` +
      `${ms(cpp)} (${ratio(cpp, cvode)}) | ${ms(compile)} | ${model?.steps ?? '-'} / ${cvode?.steps ?? '-'} | ` +
      `${model?.lu ?? '-'} / ${cvode?.lu ?? '-'} | ${sci(model?.error)} / ${sci(cvode?.error)} | ` +
      `${sci(model?.vs_cvode)} |`,
  );
}
