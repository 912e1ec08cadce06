// Light and dark themes (pure: no DOM; unit-tested under Node). The page follows the system's prefers-color-scheme
// until the user picks a theme with the toggle, which is remembered (THEME_KEY in local storage). Plots are themed
// when drawn: their layout's colours (paper, grid, text, hover labels) and the palette, Okabe and Ito's on both
// backgrounds (on dark, white stands in for black and Okabe-Ito's yellow for the wine, both invisible there).

export const THEME_KEY = 'numen.theme.v1';
export const THEMES = ['light', 'dark'];

/// The palette of the light theme (plots/timeseries.js draws with it) and the same slots on a dark background.
export const LIGHT_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#882255'];
export const DARK_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F2F2F2', '#F0E442'];

/// The theme to show: the one the user chose ('light' | 'dark'), else the system's.
export function resolveTheme(chosen, systemPrefersDark) {
  return THEMES.includes(chosen) ? chosen : systemPrefersDark ? 'dark' : 'light';
}

/// What the toggle stores when pressed on `shown`: the other theme.
export function toggled(shown) {
  return shown === 'dark' ? 'light' : 'dark';
}

/// Colours of a plot in a theme.
export function plotColors(theme) {
  return theme === 'dark'
    ? {
        paper: '#1b1f24',
        plot: '#1b1f24',
        text: '#e6e9ec',
        muted: '#aab3bc',
        grid: '#343b43',
        line: '#59636d',
        zero: '#6b7682',
        hoverBg: '#262c33',
        hoverBorder: '#59636d',
      }
    : {
        paper: '#ffffff',
        plot: '#ffffff',
        text: '#1d2329',
        muted: '#5b6670',
        grid: '#e4e7eb',
        line: '#a4acb4',
        zero: '#7c858e',
        hoverBg: '#ffffff',
        hoverBorder: '#a4acb4',
      };
}

const slot = new Map();
LIGHT_PALETTE.forEach((c, i) => slot.set(c.toLowerCase(), i));
DARK_PALETTE.forEach((c, i) => slot.set(c.toLowerCase(), i));

/// A palette colour in `theme` (the same slot of the other palette maps across); any other colour is kept.
export function themeColor(color, theme) {
  if (typeof color !== 'string') return color;
  const i = slot.get(color.toLowerCase());
  if (i === undefined) return color;
  return (theme === 'dark' ? DARK_PALETTE : LIGHT_PALETTE)[i];
}

/// A figure's traces in a theme (new objects; the palette's colours swapped slot for slot).
export function themeData(data, theme) {
  return data.map((trace) => {
    const out = { ...trace };
    if (trace.line?.color) out.line = { ...trace.line, color: themeColor(trace.line.color, theme) };
    if (typeof trace.marker?.color === 'string')
      out.marker = { ...trace.marker, color: themeColor(trace.marker.color, theme) };
    return out;
  });
}

/// A figure's layout in a theme (a new object): backgrounds, text, every axis' grid and lines, legend, hover labels.
export function themeLayout(layout, theme) {
  const c = plotColors(theme);
  const out = {
    ...layout,
    paper_bgcolor: c.paper,
    plot_bgcolor: c.plot,
    font: { ...layout?.font, color: c.text },
    legend: { ...layout?.legend, bgcolor: 'rgba(0,0,0,0)', font: { ...layout?.legend?.font, color: c.text } },
    hoverlabel: {
      ...layout?.hoverlabel,
      bgcolor: c.hoverBg,
      bordercolor: c.hoverBorder,
      font: { ...layout?.hoverlabel?.font, color: c.text },
    },
  };
  for (const [name, axis] of Object.entries(layout ?? {}))
    if (/^[xy]axis\d*$/.test(name) && axis && typeof axis === 'object')
      out[name] = { ...axis, gridcolor: c.grid, linecolor: c.line, zerolinecolor: c.zero, tickcolor: c.line };
  if (!Object.keys(out).some((k) => /^[xy]axis\d*$/.test(k)))
    for (const name of ['xaxis', 'yaxis'])
      out[name] = { gridcolor: c.grid, linecolor: c.line, zerolinecolor: c.zero, tickcolor: c.line };
  return out;
}
