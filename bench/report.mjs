// Merges Google Benchmark JSON files measured in one run and prints a markdown table with ratios against the
// first file (the reference). Usage: node bench/report.mjs [--anchor NAME] LABEL=FILE LABEL=FILE ...
// With --anchor, it prints instead, for each file, every benchmark of the anchor's group (the name up to its last
// '/') as a ratio to the anchor measured in that same file: a comparison within one build and one run.
import fs from 'node:fs';

const args = process.argv.slice(2);
const anchorAt = args.indexOf('--anchor');
const anchor = anchorAt >= 0 ? args.splice(anchorAt, 2)[1] : null;
const runs = args.map((arg) => {
  const [label, file] = arg.split('=');
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { label, results: new Map(data.benchmarks.map((b) => [b.name, b])) };
});
const unitScale = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const ns = (b) => b.real_time * unitScale[b.time_unit ?? 'ns'];
const pretty = (v) =>
  v >= 1e6 ? `${(v / 1e6).toFixed(2)} ms` : v >= 1e3 ? `${(v / 1e3).toFixed(2)} µs` : `${v.toFixed(0)} ns`;

if (anchor) {
  const group = anchor.slice(0, anchor.lastIndexOf('/') + 1);
  const header = ['benchmark', ...runs.flatMap((r) => [r.label, `${r.label} / anchor`])];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const name of runs[0].results.keys()) {
    if (!name.startsWith(group)) continue;
    const row = [name === anchor ? `${name} (anchor)` : name];
    for (const run of runs) {
      const b = run.results.get(name),
        a = run.results.get(anchor);
      row.push(b ? pretty(ns(b)) : '—', b && a ? (ns(b) / ns(a)).toFixed(2) : '—');
    }
    console.log(`| ${row.join(' | ')} |`);
  }
  process.exit(0);
}

const [reference, ...others] = runs;
const header = ['benchmark', reference.label, ...others.flatMap((r) => [r.label, `${r.label} / ${reference.label}`])];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const [name, ref] of reference.results) {
  const row = [name, pretty(ns(ref))];
  for (const run of others) {
    const b = run.results.get(name);
    row.push(b ? pretty(ns(b)) : '—', b ? (ns(b) / ns(ref)).toFixed(2) : '—');
  }
  console.log(`| ${row.join(' | ')} |`);
}
