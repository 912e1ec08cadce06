// The theme toggle: the page follows the system's light or dark preference until the user presses "Dark theme",
// which is remembered in this browser. Subscribers (the plots, the editors) hear every change of the theme shown.
import './theme.css';
import { THEME_KEY, resolveTheme, toggled } from '../app/theme.js';

function stored() {
  try {
    return localStorage.getItem(THEME_KEY);
  } catch {
    return null; // storage disabled: the system's theme
  }
}

/// Wires `button` as the theme toggle; returns {theme, subscribe(fn)}. The theme is applied at once.
export function createThemeToggle(button) {
  const media = matchMedia('(prefers-color-scheme: dark)');
  const listeners = new Set();
  let shown = null;
  const apply = () => {
    const next = resolveTheme(stored(), media.matches);
    document.documentElement.dataset.theme = next;
    button.setAttribute('aria-pressed', String(next === 'dark'));
    button.title =
      next === 'dark'
        ? 'Switch to the light theme (remembered in this browser)'
        : 'Switch to the dark theme (remembered in this browser)';
    if (next === shown) return;
    shown = next;
    for (const listener of listeners) listener(shown);
  };
  media.addEventListener('change', apply);
  button.addEventListener('click', () => {
    try {
      localStorage.setItem(THEME_KEY, toggled(shown));
    } catch {}
    if (stored() !== toggled(shown)) {
      // Storage refused: switch for this visit only.
      document.documentElement.dataset.theme = toggled(shown);
      shown = toggled(shown);
      button.setAttribute('aria-pressed', String(shown === 'dark'));
      for (const listener of listeners) listener(shown);
      return;
    }
    apply();
  });
  apply();
  return {
    get theme() {
      return shown;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
