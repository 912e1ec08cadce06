// @ts-check
// What a core worker does with each request of core/protocol.js: one handler per message type, over one wasm
// instance. Handles (models, plans) stay here; the page refers to them by number or by the text they were compiled
// from, and every handle is released with .delete(). No import of the core itself: worker.js hands over its factory,
// and tests/wasm/protocol.test.mjs the same core loaded under Node.
import { Type, isRequestType, unknownTypeMessage } from './protocol.js';

/**
 * A host for one worker. `createCore` makes a core instance (a promise of the Embind module); it is called again
 * after a trap. receive(data, post) answers one request through post(message, transfer).
 * @param {() => Promise<any>} createCore
 */
export function createHost(createCore) {
  let core = createCore();
  const models = new Map(); // id -> Model handle
  let nextModel = 1;
  // Compiled once per worker and reused while the same text comes back (sweeps and plans send many requests).
  let cachedModel = null; // {key, handle}
  let cachedPlan = null; // {key, handle}

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

  function modelFromText(M, text, file) {
    const key = `${file}\n${text}`;
    if (cachedModel?.key !== key) {
      cachedModel?.handle.delete();
      cachedModel = null;
      cachedModel = { key, handle: M.compileModel(text, file) };
    }
    return cachedModel.handle;
  }

  // `key` names the plan's content (the page computes it once per run); the plan is recompiled when it changes.
  function planFromText(M, { key, text, file, files, seed }) {
    if (cachedPlan?.key !== key) {
      cachedPlan?.handle.delete();
      cachedPlan = null;
      cachedPlan = { key, handle: M.compilePlan(text, file, files, seed ?? -1) };
    }
    return cachedPlan.handle;
  }

  function solve(M, handle, options, settings, progress) {
    const solution = progress
      ? M.solveWithProgress(handle, JSON.stringify(options), JSON.stringify(settings), progress)
      : M.solve(handle, JSON.stringify(options), JSON.stringify(settings));
    try {
      return solutionMessage(solution);
    } finally {
      solution.delete();
    }
  }

  /** @type {Record<import('./protocol.js').RequestType, (M: any, args: any, progress: ((f: number) => void) | null) => {value: unknown, transfer?: Transferable[]}>} */
  const handlers = {
    [Type.methods]: (M) => ({ value: JSON.parse(M.methods()) }),
    [Type.units]: (M) => ({ value: JSON.parse(M.unitsJson()) }),
    [Type.standardLibraries]: (M) => ({ value: M.standardLibraries() }),
    [Type.functions]: (M) => ({ value: JSON.parse(M.functionsJson()) }),
    [Type.compile]: (M, { text, file }) => {
      const handle = M.compileModel(text, file);
      const id = nextModel++;
      models.set(id, handle);
      return { value: { model: id, info: JSON.parse(handle.info()) } };
    },
    [Type.release]: (M, { model: id }) => {
      models.get(id)?.delete();
      models.delete(id);
      return { value: true };
    },
    [Type.checkModel]: (M, { text, file }) => ({ value: JSON.parse(M.checkModel(text, file)) }),
    [Type.checkPlan]: (M, { text, file, files }) => ({ value: JSON.parse(M.checkPlan(text, file, files)) }),
    [Type.solve]: (M, { model: id, options = {}, settings = {} }, progress) =>
      solve(M, model(id), options, settings, progress),
    // One solve of a model given by its text (sweep members): compiled once per worker, then reused.
    [Type.solveText]: (M, { text, file, options = {}, settings = {} }) =>
      solve(M, modelFromText(M, text, file), options, settings, null),
    [Type.solutionCsv]: (M, { text, file, solution: { t, x, y } }) => ({
      value: M.solutionCsv(modelFromText(M, text, file), t, x, y, true),
    }),
    // A gallery card's preview: the model as published, solved on a coarse grid, with its description.
    [Type.preview]: (M, { text, file, points = 80 }) => {
      const handle = M.compileModel(text, file);
      try {
        const info = JSON.parse(handle.info());
        const { value, transfer } = solve(M, handle, { n_save_points: points }, {}, null);
        return { value: { info, solution: value }, transfer };
      } finally {
        handle.delete();
      }
    },
    [Type.planInfo]: (M, args) => {
      const plan = planFromText(M, args);
      const count = plan.pointCount();
      const labels = [];
      for (let i = 0; i < count; ++i) labels.push(plan.pointLabel(i));
      return {
        value: {
          points: count,
          labels,
          tests: plan.testNames(),
          workers: plan.workers(),
          model: JSON.parse(plan.modelInfo()),
        },
      };
    },
    [Type.runPoint]: (M, args) => ({ value: planFromText(M, args).runPoint(args.point) }),
    [Type.merge]: (M, args) => ({ value: JSON.parse(planFromText(M, args).merge(args.points)) }),
    [Type.resultsCsv]: (M, { results }) => ({ value: M.resultsCsv(JSON.stringify(results)) }),
  };

  /** Answers one request ({id, type, args, progress}) through post. @param {any} data
   *  @param {(message: import('./protocol.js').Reply, transfer?: Transferable[]) => void} post */
  async function receive(data, post) {
    const { id, type, args = {}, progress: wantsProgress = false } = data ?? {};
    try {
      if (!isRequestType(type)) throw new Error(unknownTypeMessage(type));
      const M = await core;
      const progress = wantsProgress ? (/** @type {number} */ fraction) => post({ id, progress: fraction }) : null;
      const { value, transfer = [] } = handlers[type](M, args, progress);
      post({ id, ok: true, result: value }, transfer);
    } catch (e) {
      // The core reports every failure it knows of as an Error (with diagnostics). A trap (RuntimeError: an abort,
      // an out-of-bounds access) leaves the instance's memory and stack pointer in an unknown state, and every later
      // answer from it would be suspect: start a fresh instance, drop the handles, and say so.
      const trapped = e instanceof WebAssembly.RuntimeError;
      if (trapped) {
        core = createCore();
        models.clear();
        cachedModel = null;
        cachedPlan = null;
      }
      post({
        id,
        ok: false,
        error: {
          message: trapped
            ? `internal error in the core (${e.message}); it was restarted: run again`
            : String(e?.message ?? e),
          diagnostics: e?.diagnostics ?? [],
          restarted: trapped,
        },
      });
    }
  }

  return { receive, handlers };
}
