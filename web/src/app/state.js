// The workbench's state: what the user edits and sees. One plain object, autosaved to localStorage and carried
// whole in a share link (compressed into the URL's hash, never sent anywhere).

export const STORAGE_KEY = 'numen.workbench.v1';
export const MAX_SHARE_LENGTH = 60_000; // characters of the hash; longer links break in mail and chat clients

export function initialState(model, planText) {
  return {
    v: 1,
    model: { name: model.name, file: model.file, text: model.text },
    plan: { text: planText ?? '', file: 'plan.yaml' },
    settings: { method: '', rtol: '', atol: '', t_end: '' },
    overrides: {},
    view: {
      tab: 'simulation',
      editor: 'model',
      keys: null,
      presentation: false,
      compare: true,
      sweep: { param: '', from: '', to: '', count: 8, spacing: 'linear', key: '' },
      workers: 0,
    },
  };
}

/// Fills in whatever an older or partial state lacks, from `base`.
export function normalize(state, base) {
  if (!state || typeof state !== 'object' || state.v !== 1 || typeof state.model?.text !== 'string') return base;
  return {
    ...base,
    ...state,
    model: { ...base.model, ...state.model },
    plan: { ...base.plan, ...state.plan },
    settings: { ...base.settings, ...state.settings },
    overrides: { ...state.overrides },
    view: { ...base.view, ...state.view, sweep: { ...base.view.sweep, ...state.view?.sweep } },
  };
}

export function loadSaved() {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export function save(state) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    return true;
  } catch {
    return false; // storage full or disabled: the editors still hold the text
  }
}

// ---- share links: deflate-raw (CompressionStream, built into the browser) + base64url ---------------------------

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; ++i) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/// '#s=...' for a state, or throws when the link would be too long (the message says what to do instead).
export async function encodeShare(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  const packed = await pipe(json, new CompressionStream('deflate-raw'));
  const hash = `#s=${toBase64Url(packed)}`;
  if (hash.length > MAX_SHARE_LENGTH)
    throw new Error(
      `the link would be ${Math.round(hash.length / 1000)} kB, too long to share safely; export the model and plan files instead`,
    );
  return hash;
}

/// The state in a '#s=...' hash, or null when there is none. Throws on a damaged link.
export async function decodeShare(hash) {
  const match = /^#s=([A-Za-z0-9_-]+)$/.exec(hash ?? '');
  if (!match) return null;
  const bytes = await pipe(fromBase64Url(match[1]), new DecompressionStream('deflate-raw'));
  return JSON.parse(new TextDecoder().decode(bytes));
}
