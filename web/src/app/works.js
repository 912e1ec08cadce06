// The user's work, kept in local storage as separate saves ("works"), so that nothing a user did is overwritten by
// something they opened: each gallery model has its own save (its edits survive a visit to another model), a shared
// link opens as a new saved copy, and named copies ("snapshots") keep earlier states to restore. Pure of the page:
// it takes a Storage (localStorage in the browser, a Map-backed one in tests) and a clock.
//
// Keys: numen.works.v2 (the index: one entry per save, without its state), numen.work.v2.<id> (a save's state, the
// same object a share link carries), numen.current.v2 (the id of the save the page shows). The single slot of
// earlier versions (numen.workbench.v1) is migrated into a save the first time and left in place, untouched.

export const LEGACY_KEY = 'numen.workbench.v1';
export const INDEX_KEY = 'numen.works.v2';
export const CURRENT_KEY = 'numen.current.v2';
export const workKey = (id) => `numen.work.v2.${id}`;

/// A short, stable digest of a text (FNV-1a, 32 bits, hex): names a link's content without storing the link twice.
export function digest(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; ++i) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export class WorkStore {
  /// storage: {getItem, setItem, removeItem}; now() -> ms since the epoch.
  constructor(storage, now = () => Date.now()) {
    this.storage = storage;
    this.now = now;
    this.counter = 0;
  }

  read(key) {
    try {
      const text = this.storage.getItem(key);
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  }

  write(key, value) {
    try {
      this.storage.setItem(key, JSON.stringify(value));
      return true;
    } catch {
      return false; // storage full or disabled: the editors still hold the text
    }
  }

  index() {
    const index = this.read(INDEX_KEY);
    return Array.isArray(index) ? index : [];
  }

  /// Every save, the most recently changed first.
  list() {
    return this.index().sort((a, b) => b.updated - a.updated);
  }

  entry(id) {
    return this.index().find((e) => e.id === id) ?? null;
  }

  currentId() {
    const id = this.read(CURRENT_KEY);
    return typeof id === 'string' && this.entry(id) ? id : null;
  }

  setCurrent(id) {
    this.write(CURRENT_KEY, id);
  }

  load(id) {
    return id ? this.read(workKey(id)) : null;
  }

  newId() {
    this.counter += 1;
    return `${this.now().toString(36)}-${this.counter.toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
  }

  /// A new save holding `state`. meta: {title, origin ('gallery:NAME' | 'link' | 'file:PATH' | 'earlier'),
  /// kind ('work' | 'snapshot'), link (digest of the link it came from)}. Returns its id, or null if storage refused.
  create(state, meta = {}) {
    const id = this.newId();
    const time = this.now();
    const entry = {
      id,
      title: meta.title || state?.model?.name || 'untitled',
      model: state?.model?.name ?? '',
      origin: meta.origin ?? '',
      kind: meta.kind ?? 'work',
      link: meta.link ?? null,
      created: time,
      updated: time,
    };
    if (!this.write(workKey(id), state)) return null;
    this.write(INDEX_KEY, [...this.index(), entry]);
    return id;
  }

  /// Stores the state of an existing save (autosave). False when storage refused or the save is gone.
  save(id, state) {
    const index = this.index();
    const entry = index.find((e) => e.id === id);
    if (!entry) return false;
    if (!this.write(workKey(id), state)) return false;
    entry.updated = this.now();
    entry.model = state?.model?.name ?? entry.model;
    if (entry.kind === 'work' && entry.autoTitle !== false && entry.origin.startsWith('gallery:'))
      entry.title = entry.model;
    return this.write(INDEX_KEY, index);
  }

  rename(id, title) {
    const index = this.index();
    const entry = index.find((e) => e.id === id);
    if (!entry || !title.trim()) return false;
    entry.title = title.trim();
    entry.autoTitle = false;
    return this.write(INDEX_KEY, index);
  }

  /// Marks a save as the one a link (by digest) opens: a reload of that address comes back to it.
  setLink(id, link) {
    const index = this.index();
    const entry = index.find((e) => e.id === id);
    if (!entry) return false;
    for (const e of index) if (e.link === link) e.link = null;
    entry.link = link;
    return this.write(INDEX_KEY, index);
  }

  remove(id) {
    this.storage.removeItem(workKey(id));
    this.write(
      INDEX_KEY,
      this.index().filter((e) => e.id !== id),
    );
  }

  /// The latest working save (not a snapshot) from a given origin, e.g. 'gallery:pendulum'.
  findWork(origin) {
    return this.list().find((e) => e.kind === 'work' && e.origin === origin) ?? null;
  }

  /// The save that a link (by digest) was opened into, if it was opened before.
  findLink(link) {
    return this.list().find((e) => e.kind === 'work' && e.link === link) ?? null;
  }

  /// Moves the single save of earlier versions into a save of its own (once; the old key is left as it was).
  /// `originOf(state)` names its origin (the gallery model it is a copy of, when there is one). Returns its id.
  migrate(originOf = () => 'earlier') {
    if (this.read(INDEX_KEY)) return null;
    const legacy = this.read(LEGACY_KEY);
    this.write(INDEX_KEY, []);
    if (!legacy || typeof legacy.model?.text !== 'string') return null;
    const id = this.create(legacy, { title: legacy.model.name || 'earlier work', origin: originOf(legacy) });
    if (id) this.setCurrent(id);
    return id;
  }
}

/// A Storage over a Map, for tests and for a browser where localStorage is disabled (work then lasts the session).
export class MemoryStorage {
  constructor() {
    this.map = new Map();
  }
  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }
  setItem(key, value) {
    this.map.set(key, String(value));
  }
  removeItem(key) {
    this.map.delete(key);
  }
}

/// Undo and redo of parameter changes: snapshots of the overrides. A run of changes to one parameter within
/// `mergeMs` (a slider drag) is one step.
export class History {
  constructor({ limit = 100, mergeMs = 800, now = () => Date.now() } = {}) {
    this.limit = limit;
    this.mergeMs = mergeMs;
    this.now = now;
    this.clear();
  }

  clear() {
    this.undoStack = [];
    this.redoStack = [];
    this.lastKey = null;
    this.lastTime = -Infinity;
  }

  /// Call before changing `key`, with the overrides as they are now.
  record(overrides, key) {
    const time = this.now();
    const merge = key !== null && key === this.lastKey && time - this.lastTime < this.mergeMs;
    this.lastKey = key;
    this.lastTime = time;
    if (merge) return;
    this.undoStack.push(structuredClone(overrides));
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
  }

  canUndo() {
    return this.undoStack.length > 0;
  }

  canRedo() {
    return this.redoStack.length > 0;
  }

  /// The overrides to go back to, given the current ones (kept for redo), or null.
  undo(current) {
    if (!this.undoStack.length) return null;
    this.redoStack.push(structuredClone(current));
    this.lastKey = null;
    return this.undoStack.pop();
  }

  redo(current) {
    if (!this.redoStack.length) return null;
    this.undoStack.push(structuredClone(current));
    this.lastKey = null;
    return this.redoStack.pop();
  }
}
