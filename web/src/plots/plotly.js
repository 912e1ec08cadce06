// Plotly is the largest part of the page's code (1.1 MB, built from its sources with only the traces the workbench
// draws: plots/plotly-bundle.js). The page's HTML preloads it (downloaded and compiled off the main thread,
// alongside the main module and the core's wasm), but it is run only when something first asks to draw with it: on
// a slow phone, running it takes a large part of a second of the main thread, and the first solution is drawn as a
// static preview (plots/preview.js) before that. Everything that draws awaits `plotlyReady`.
let plotly = null;
let loading = null;

/// Runs Plotly (once) and resolves with it.
export function loadPlotly() {
  loading ??= import('./plotly-bundle.js').then((m) => {
    plotly = m.default;
    performance.mark('numen:plotly-loaded');
    return plotly;
  });
  return loading;
}

/// A promise of Plotly that starts loading it when first awaited (a thenable: `await plotlyReady`, `.then`).
export const plotlyReady = {
  then(resolve, reject) {
    return loadPlotly().then(resolve, reject);
  },
};

/// Plotly once loaded, else null (for calls that only matter when something is drawn already, like resizing).
export function loadedPlotly() {
  return plotly;
}
