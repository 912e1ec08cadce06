// The Plotly the workbench runs: its core (with the scatter trace, legends, hover, modebar, colour bars, image
// export) and the two other traces the figures use, bar (two-tone spectra) and heatmap (parameter grids); see
// plots/panels.js and plots/timeseries.js. Built from the plotly.js sources by Vite (web/plotly-sources.js), it is
// 1.1 MB against the 1.4 MB of the prebuilt cartesian bundle, which also registered box, violin, histograms,
// contours, pie, image, ternary plots and world calendars. A trace of another type would not be drawn.
import Plotly from 'plotly.js/lib/core';
import bar from 'plotly.js/lib/bar';
import heatmap from 'plotly.js/lib/heatmap';

Plotly.register([bar, heatmap]);
export default Plotly;
