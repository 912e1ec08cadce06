// Merges Google Benchmark JSON files measured in one run and prints a markdown table with ratios against the
// first file (the reference). Usage: node bench/report.mjs LABEL=FILE LABEL=FILE ...
import fs from 'node:fs';

const runs = process.argv.slice(2).map((arg) => {
  const [label, file] = arg.split('=');
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { label, results: new Map(data.benchmarks.map((b) => [b.name, b])) };
});
const unitScale = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const ns = (b) => b.real_time * unitScale[b.time_unit ?? 'ns'];
const pretty = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} ms` : v >= 1e3 ? `${(v / 1e3).toFixed(2)} µs` : `${v.toFixed(0)} ns`);

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
