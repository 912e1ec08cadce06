// The workbench's state: what the user edits and sees. One plain object, saved by app/works.js and carried whole in
// a share link (compressed into the URL's hash, never sent anywhere).

export const MAX_SHARE_LENGTH = 60_000; // characters of the hash; longer links break in mail and chat clients

export function initialState(model, planText) {
  return {
    v: 1,
    model: { name: model.name, file: model.file, text: model.text },
    plan: { text: planText ?? '', file: 'plan.yaml' },
    settings: { method: '', rtol: '', atol: '', t_end: '' },
    overrides: {},
    runs: [], // kept runs to compare (app/runs.js): what reproduces each, not its numbers
    view: {
      tab: 'simulation',
      editor: 'model',
      keys: null,
      phase: null, // the phase portrait the user chose, {x, y} ('' x: time series); null: the model file's own view
      ranges: null, // the simulation plot's zoom: {mode: 'time' | 'phase', axes: {xaxis: [lo, hi], ...}}
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
    runs: normalizeRuns(state.runs),
    view: {
      ...base.view,
      ...state.view,
      phase: state.view?.phase ? { x: '', y: '', ...state.view.phase } : null,
      sweep: { ...base.view.sweep, ...state.view?.sweep },
    },
  };
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

import { digest } from './works.js';
import { normalizeRuns } from './runs.js';

export const STATE_VERSION = 1;

/// A share link's hash: `#n=<length>&h=<digest>&s=<data>` (the length first, so a link cut short says so; the digest
/// of the content, so an altered one is caught even where deflate would decode it), or the `#s=<data>` of earlier links.
export function isShareHash(hash) {
  return /^#(n=\d*&)?(h=[0-9a-f]*&)?s=/.test(hash ?? '');
}

/// '#n=...&s=...' for a state, or throws when the link would be too long (the message says what to do instead).
export async function encodeShare(state) {
  const text = JSON.stringify(state);
  const packed = await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'));
  const data = toBase64Url(packed);
  const hash = `#n=${data.length}&h=${digest(text)}&s=${data}`;
  if (hash.length > MAX_SHARE_LENGTH)
    throw new Error(
      `the link would be ${Math.round(hash.length / 1000)} kB, too long to share safely; export the model and plan files instead`,
    );
  return hash;
}

/// A link that cannot be opened, and why, in words for the person who clicked it.
export class LinkError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'LinkError';
    this.kind = kind; // 'truncated' | 'corrupted' | 'version'
  }
}

/// The state in a share hash, or null when there is none. Throws a LinkError on a link cut short, damaged, or made
/// by another version of the workbench.
export async function decodeShare(hash) {
  if (!isShareHash(hash)) return null;
  const match = /^#(?:n=(\d*)&)?(?:h=([0-9a-f]*)&)?s=(.*)$/s.exec(hash);
  const expected = match[1] ? Number(match[1]) : null;
  const check = match[2] ?? null;
  const data = match[3];
  const advice = 'Ask whoever sent it for the link again (copied whole, or as a file).';
  if (expected !== null && data.length < expected)
    throw new LinkError(
      'truncated',
      `This link is cut short: it holds ${data.length} of its ${expected} characters, so the model cannot be restored. ` +
        `Mail and chat programs sometimes cut long links. ${advice}`,
    );
  if (!/^[A-Za-z0-9_-]*$/.test(data) || (expected !== null && data.length !== expected))
    throw new LinkError(
      'corrupted',
      `This link is damaged: it contains characters a workbench link never has. ${advice}`,
    );
  let state;
  try {
    const bytes = await pipe(fromBase64Url(data), new DecompressionStream('deflate-raw'));
    const text = new TextDecoder().decode(bytes);
    if (check !== null && digest(text) !== check) throw new Error('digest');
    state = JSON.parse(text);
  } catch {
    throw new LinkError(
      expected === null ? 'truncated' : 'corrupted',
      expected === null
        ? `This link is damaged or cut short: its content does not decode. ${advice}`
        : `This link is damaged: its content does not decode. ${advice}`,
    );
  }
  if (state && typeof state === 'object' && state.v !== STATE_VERSION && state.v !== undefined)
    throw new LinkError(
      'version',
      `This link was made by ${Number(state.v) > STATE_VERSION ? 'a newer' : 'another'} version of the workbench ` +
        `(link format ${state.v}; this page reads format ${STATE_VERSION}). Open it where it was made, or ask for the model file.`,
    );
  if (!state || typeof state !== 'object' || typeof state.model?.text !== 'string')
    throw new LinkError('corrupted', `This link is damaged: it decodes, but holds no model. ${advice}`);
  return state;
}
