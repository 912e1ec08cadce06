// Large models and the tape compilers (issue 16): the benchmark chain of stiff springs (bench/chain_model.h, k =
// 1e6 N/m, the first mass kicked at 1 m/s) at 1k, 4k and 16k states, solved with BDF over 0.1 s at rtol 1e-6,
// atol 1e-8.
//   native: the CLI as a whole process, as a user waits for it (start, compile, solve, exit), against the solve
//           alone (`--stats`' wall time): the difference is compile and exit, where a background LLVM compile that
//           outlived the solve used to hold the process for seconds.
//   wasm:   the browser's core under Node: compile; the first solve with tape compilation on (the WebAssembly code
//           generator runs during it, synchronously, once a tape is hot); the same solve again (compiled from the
//           start); and the solve on the interpreter. First minus compiled is about what code generation cost.
// Usage: node bench/chain/chain.mjs [--masses 500,2000,8000] [--runs 3]   (after scripts/build.sh native with
// -DNUMEN_BUILD_BENCH=ON, and scripts/build.sh wasm; scripts/bench.sh does both)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const masses = arg('masses', '500,2000,8000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const options = { method: 'BDF', tspan: [0, 0.1], rtol: 1e-6, atol: 1e-8, n_save_points: 2 };
const out = path.join(root, 'build/bench');
fs.mkdirSync(out, { recursive: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);

function chainFile(n) {
  const file = path.join(out, `chain${n}.yaml`);
  const made = spawnSync(path.join(root, 'build/native/bench/numen_chain_yaml'), [String(n), '1e6', '1'], {
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`numen_chain_yaml failed: ${made.stderr}`);
  fs.writeFileSync(file, made.stdout);
  return file;
}

// One CLI process under /usr/bin/time: its wall and CPU time, peak memory, and the solve's own wall time.
function cliRun(file) {
  const args = [
    '-f',
    'TIME %e %U %S %M',
    path.join(root, 'build/native/cli/numen'),
    'run',
    file,
    '--method',
    'BDF',
    '--tspan',
    '0,0.1',
    '--rtol',
    '1e-6',
    '--atol',
    '1e-8',
    '--n-save-points',
    '2',
    '--stats',
    '-o',
    '/dev/null',
  ];
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`numen run failed: ${r.stderr}`);
  const [, wall, user, sys, rss] = r.stderr.match(/TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/);
  const solve = Number(r.stderr.match(/wall time ([\d.]+) ms/)[1]);
  const steps = r.stderr.match(/steps (\d+) accepted/)[1];
  return { wall: 1000 * Number(wall), cpu: 1000 * (Number(user) + Number(sys)), rss: Number(rss) / 1024, solve, steps };
}

async function wasmRuns(files) {
  const build = path.join(root, 'build/wasm/wasm');
  const { default: createNumenModule } = await import(path.join(build, 'numen.js'));
  const M = await createNumenModule({ wasmBinary: fs.readFileSync(path.join(build, 'numen.wasm')) });
  const solveMs = (model) => {
    const started = performance.now();
    const solution = M.solve(model, JSON.stringify(options), '{}');
    const elapsed = performance.now() - started;
    const info = JSON.parse(solution.info());
    solution.delete();
    if (info.status !== 'success') throw new Error(`wasm solve: ${info.status} ${info.message}`);
    return elapsed;
  };
  const rows = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const results = [];
    for (let k = 0; k < runs; ++k) {
      M.setTapeCompilation(true);
      let started = performance.now();
      const model = M.compileModel(text, path.basename(file));
      const compile = performance.now() - started;
      const first = solveMs(model);
      const compiled = JSON.parse(model.info()).stats?.compiled_tapes ?? 0;
      const again = solveMs(model);
      model.delete();
      M.setTapeCompilation(false);
      const fresh = M.compileModel(text, path.basename(file));
      const interpreted = solveMs(fresh);
      fresh.delete();
      results.push({ compile, first, again, interpreted, compiled });
    }
    M.setTapeCompilation(true);
    const pick = (key) => median(results.map((r) => r[key]));
    rows.push({
      compile: pick('compile'),
      first: pick('first'),
      again: pick('again'),
      interpreted: pick('interpreted'),
      compiled: results[0].compiled,
    });
  }
  return rows;
}

const files = masses.map(chainFile);
console.log(
  `\nThe chain of stiff springs, BDF over 0.1 s (rtol 1e-6, atol 1e-8), medians of ${runs} runs; native CLI:\n`,
);
console.log('| states | steps | process wall | process cpu | solve (--stats) | process - solve | peak memory |');
console.log('|---|---|---|---|---|---|---|');
for (const [i, file] of files.entries()) {
  const rs = Array.from({ length: runs }, () => cliRun(file));
  const pick = (key) => median(rs.map((r) => r[key]));
  console.log(
    `| ${2 * masses[i]} | ${rs[0].steps} | ${ms(pick('wall'))} | ${ms(pick('cpu'))} | ${ms(pick('solve'))} | ` +
      `${ms(median(rs.map((r) => r.wall - r.solve)))} | ${pick('rss').toFixed(0)} MiB |`,
  );
}
console.log(`\nThe same in the wasm core under Node ${process.version} (the browser's build):\n`);
console.log(
  '| states | compile | first solve (code generated during it) | solve again (compiled) | first - again | interpreted solve | tapes compiled |',
);
console.log('|---|---|---|---|---|---|---|');
for (const [i, r] of (await wasmRuns(files)).entries())
  console.log(
    `| ${2 * masses[i]} | ${ms(r.compile)} | ${ms(r.first)} | ${ms(r.again)} | ${ms(r.first - r.again)} | ${ms(r.interpreted)} | ${r.compiled} |`,
  );
