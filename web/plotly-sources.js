// Plotly built from its sources (the plotly.js package) into the site, with only the traces the workbench draws
// (web/src/plots/plotly-bundle.js), instead of a prebuilt bundle. Its sources are CommonJS for browserify-era
// tools; two things they expect from such a tool are given here, for Plotly's modules only:
// - Node's `global` (has-hover reads global.matchMedia; the Promise polyfill picks its host from it): declared as
//   globalThis in each module under node_modules that names it (not a define, which would also rewrite the
//   core's Emscripten glue, which tests for a real `global`);
// - CSS for the map traces (maplibre-gl's, 83 kB), required by Plotly's registry whatever is registered: empty.
const GLOBAL = /(?<![.\w$])global(?![\w$])/;
const MAP_CSS = 'maplibre-gl/dist/maplibre-gl.css';
const EMPTY = '\0numen-empty-css';

export function plotlySources() {
  return {
    name: 'numen-plotly-sources',
    enforce: 'pre',
    resolveId(id) {
      return id === MAP_CSS ? EMPTY : null;
    },
    load(id) {
      return id === EMPTY ? 'export default {};' : null;
    },
    transform(code, id) {
      if (!id.includes('/node_modules/') || !GLOBAL.test(code)) return null;
      return { code: `var global = globalThis;\n${code}`, map: null };
    },
  };
}
