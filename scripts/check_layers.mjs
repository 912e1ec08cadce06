// The core's layers, enforced (npm test runs this). Each stage of core/src may include its own headers, those of
// the stages before it, and the public headers (core/include/numen/); nothing else of the core. The public headers
// include only each other; the CLI, the wasm and the Python bindings only the public headers. README "Architecture" says why.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Lowest first: a stage sees the ones before it.
export const STAGES = ['common', 'units', 'expr', 'model', 'solve', 'compile', 'characterize', 'api'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sources = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true })
        .filter((f) => /\.(h|cpp|in)$/.test(f))
        .map((f) => path.join(dir, f))
    : [];

function includes(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, header: /^\s*#\s*include\s+"([^"]+)"/.exec(text)?.[1] }))
    .filter((x) => x.header);
}

export function violations() {
  const out = [];
  const where = (file, line) => `${path.relative(root, file)}:${line}`;
  for (const [rank, stage] of STAGES.entries()) {
    for (const file of sources(path.join(root, 'core/src', stage))) {
      for (const { line, header } of includes(file)) {
        const top = header.split('/')[0];
        if (top === 'numen' || !header.includes('/')) continue;
        const to = STAGES.indexOf(top);
        if (to < 0) out.push(`${where(file, line)}: "${header}" is not in a stage of core/src (${STAGES.join(' → ')})`);
        else if (to > rank)
          out.push(
            `${where(file, line)}: ${stage} includes "${header}", a later stage (${STAGES.join(' → ')}); ` +
              `move the code down, or reach it through the public API`,
          );
      }
    }
  }
  for (const file of sources(path.join(root, 'core/include/numen')))
    for (const { line, header } of includes(file))
      if (!header.startsWith('numen/'))
        out.push(`${where(file, line)}: a public header includes "${header}"; it may include only numen/ headers`);
  for (const dir of ['cli', 'wasm', 'python'])
    for (const file of sources(path.join(root, dir)))
      for (const { line, header } of includes(file))
        if (header.includes('/') && !header.startsWith('numen/'))
          out.push(`${where(file, line)}: ${dir}/ includes "${header}"; hosts use the public headers (numen/) only`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = violations();
  for (const v of found) console.error(v);
  if (found.length) {
    console.error(`${found.length} include(s) against the layers`);
    process.exit(1);
  }
  console.log(`layers: ${STAGES.join(' → ')}; cli, wasm and python on the public headers: ok`);
}
