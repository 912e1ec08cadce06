// Plotly is the largest part of the page's code: it loads as its own chunk, in parallel with the core's wasm, so
// the page and the worker start sooner. Everything that draws awaits it here.
let plotly = null;

export const plotlyReady = import('plotly.js-cartesian-dist-min').then((m) => {
  plotly = m.default;
  return plotly;
});

/// Plotly once loaded, else null (for calls that only matter when something is drawn already, like resizing).
export function loadedPlotly() {
  return plotly;
}
