// The core runs here, never on the UI thread. One wasm instance per worker.
// Messages in: {id, type, ...args}. Messages out: {id, ok: true, result} or {id, ok: false, error}.
// Model handles stay inside the worker; the page refers to them by number.
import createNumenModule from '@numen/core';

const core = createNumenModule();
const models = new Map();
let nextModel = 1;

function solutionMessage(solution) {
  const t = solution.t();
  const x = solution.x();
  const y = solution.y();
  const info = JSON.parse(solution.info());
  return { value: { t, x, y, info }, transfer: [t.buffer, x.buffer, y.buffer] };
}

function model(id) {
  const m = models.get(id);
  if (!m) throw new Error(`no compiled model #${id} in this worker`);
  return m;
}

const handlers = {
  version: (M) => ({ value: M.version() }),
  methods: (M) => ({ value: JSON.parse(M.methods()) }),
  compile: (M, { text, file }) => {
    const handle = M.compileModel(text, file);
    const id = nextModel++;
    models.set(id, handle);
    return { value: { model: id, info: JSON.parse(handle.info()) } };
  },
  release: (M, { model: id }) => {
    models.get(id)?.delete();
    models.delete(id);
    return { value: true };
  },
  solve: (M, { model: id, options = {}, settings = {} }) => {
    const solution = M.solve(model(id), JSON.stringify(options), JSON.stringify(settings));
    try {
      return solutionMessage(solution);
    } finally {
      solution.delete();
    }
  },
};

self.onmessage = async ({ data }) => {
  const { id, type, ...args } = data;
  try {
    const M = await core;
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request type \`${type}\``);
    const { value, transfer = [] } = handler(M, args);
    self.postMessage({ id, ok: true, result: value }, transfer);
  } catch (e) {
    self.postMessage({
      id,
      ok: false,
      error: { message: String(e?.message ?? e), diagnostics: e?.diagnostics ?? [] },
    });
  }
};
