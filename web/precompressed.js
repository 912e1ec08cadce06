// Precompressed assets (issue 16): at build time every compressible file of the site (JS, CSS, HTML, JSON, SVG and
// the core's wasm, 1.7 MB raw) is written beside itself as .br (brotli, best quality) and .gz (gzip -9); the preview
// server that `npm start` runs serves the smallest one the browser accepts, with the file's own Content-Type (so the
// wasm still compiles streaming: application/wasm), Vary: Accept-Encoding, and long-lived caching for the hashed
// files in assets/. Vite's own preview compresses on the fly with gzip only, and never the wasm.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html;charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.yaml': 'application/yaml',
};
const MIN_BYTES = 1024;

function compressible(file) {
  return Object.hasOwn(TYPES, path.extname(file)) && fs.statSync(file).size >= MIN_BYTES;
}

function walk(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/// Writes FILE.br and FILE.gz for each compressible file under `dir`; returns {raw, br, gz} byte totals.
export function precompressDir(dir) {
  const totals = { raw: 0, br: 0, gz: 0 };
  for (const file of walk(dir)) {
    if (/\.(br|gz)$/.test(file) || !compressible(file)) continue;
    const data = fs.readFileSync(file);
    const br = zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    });
    const gz = zlib.gzipSync(data, { level: 9 });
    fs.writeFileSync(`${file}.br`, br);
    fs.writeFileSync(`${file}.gz`, gz);
    totals.raw += data.length;
    totals.br += br.length;
    totals.gz += gz.length;
  }
  return totals;
}

/// The encoding to send for an Accept-Encoding header, among those present: 'br', 'gzip' or null.
export function chooseEncoding(accept, available) {
  const q = new Map();
  for (const part of String(accept ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    if (name) q.set(name, weight === undefined ? 1 : Number(weight));
  }
  const wants = (name) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (available.br && wants('br')) return 'br';
  if (available.gzip && wants('gzip')) return 'gzip';
  return null;
}

export function precompressed() {
  let outDir;
  return {
    name: 'numen-precompressed',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    // After the bundle is written (and the service worker plugin, which lists only the originals, has run).
    writeBundle: {
      sequential: true,
      order: 'post',
      handler() {
        precompressDir(outDir);
      },
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') return next();
        let pathname;
        try {
          pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
        } catch {
          return next();
        }
        if (pathname.endsWith('/')) pathname += 'index.html';
        const file = path.join(outDir, pathname);
        if (!file.startsWith(outDir + path.sep) || !Object.hasOwn(TYPES, path.extname(file))) return next();
        const encoding = chooseEncoding(req.headers['accept-encoding'], {
          br: fs.existsSync(`${file}.br`),
          gzip: fs.existsSync(`${file}.gz`),
        });
        if (!encoding) return next();
        const body = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
        const stat = fs.statSync(body);
        res.statusCode = 200;
        res.setHeader('Content-Type', TYPES[path.extname(file)]);
        res.setHeader('Content-Encoding', encoding);
        res.setHeader('Content-Length', stat.size);
        res.setHeader('Vary', 'Accept-Encoding');
        res.setHeader(
          'Cache-Control',
          pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        if (req.method === 'HEAD') return res.end();
        fs.createReadStream(body).pipe(res);
      });
    },
  };
}

const isPlotlyChunk = (c) => c.type === 'chunk' && /plotly/.test(c.fileName);

/// V8's explicit compile hint (Chrome 136+): a file that starts with this comment has all its functions compiled
/// eagerly, off the main thread while it downloads, instead of each on its first call, on the main thread.
export const COMPILE_ALL_HINT = '//# allFunctionsCalledOnLoad';

/// Starts the download (and the off-thread parse) of the plotting library with the page, in parallel with the main
/// module, instead of once the main module has run and asks for it: the first plot waits on Plotly most of all.
/// Nearly every function of Plotly's bundle runs for the first plot (the bundle is one function of 1.4 MB, its
/// modules are functions inside it, drawing calls hundreds more), so it is marked to be compiled whole, off-thread:
/// lazily, compiling it took about 300 ms of the 4x-throttled phone's main thread before Plotly could even run.
export function preloadPlotly() {
  return {
    name: 'numen-preload-plotly',
    apply: 'build',
    // After minification (which drops comments), before the file's name is hashed.
    outputOptions(output) {
      const before = output.postBanner;
      output.postBanner = async (chunk) => {
        const other = typeof before === 'function' ? await before(chunk) : (before ?? '');
        return /plotly/.test(chunk.name) ? COMPILE_ALL_HINT + other : other;
      };
      return output;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find(isPlotlyChunk);
        if (!chunk) return html;
        return html.replace(
          '</head>',
          `  <link rel="modulepreload" crossorigin href="./${chunk.fileName}">\n  </head>`,
        );
      },
    },
  };
}
