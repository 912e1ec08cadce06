// @ts-check
// The one protocol between the page and a core worker (web/src/core/worker.js, served by core/host.js). Every
// message type is named once, in `Type`; `messages` documents what each request takes and what its reply holds, and
// tests/wasm/protocol.test.mjs checks this table against the worker's handlers.
//
// A request is {id, type, args, progress}: the arguments travel in their own object, so none of them can collide
// with the envelope (a plan argument named `id` or `type` stays an argument). The worker answers each request once,
// with {id, ok: true, result} or {id, ok: false, error}; a request sent with progress: true may first receive any
// number of {id, progress} messages. Handles (compiled models) stay inside the worker; the page refers to them by
// number, and a worker that restarted its core says so (error.restarted), after which those numbers mean nothing.

/**
 * @typedef {object} Diagnostic  a problem the core found, where it is
 * @property {string} file
 * @property {number} line      1-based; 0 for a problem of the whole file
 * @property {number} column    1-based; 0 when unknown
 * @property {string} message
 * @property {'error' | 'warning'} [severity]
 */

/**
 * @typedef {object} Request
 * @property {number} id           chosen by the client; the reply carries it back
 * @property {RequestType} type    one of `Type`
 * @property {object} args         the request's arguments (see `messages`)
 * @property {boolean} [progress]  send {id, progress} messages while working (solve only)
 */

/**
 * @typedef {object} ProgressReply
 * @property {number} id
 * @property {number} progress     the fraction done, 0..1
 */

/**
 * @typedef {object} OkReply
 * @property {number} id
 * @property {true} ok
 * @property {unknown} result      the request's reply (see `messages`)
 */

/**
 * @typedef {object} ErrorReply
 * @property {number} id
 * @property {false} ok
 * @property {{message: string, diagnostics: Diagnostic[], restarted: boolean}} error  restarted: the core was
 *   started afresh after a trap, so the worker's model handles are gone (compile again)
 */

/** @typedef {ProgressReply | OkReply | ErrorReply} Reply */

/**
 * @typedef {object} Solution  a solve's result; the arrays are transferred, not copied
 * @property {Float64Array} t  the saved times
 * @property {Float64Array} x  the states, row-major (one row per time)
 * @property {Float64Array} y  the outputs, row-major
 * @property {{status: string, message: string, method: string, points: number, stats: object}} info
 */

/**
 * @typedef {object} PlanArgs  a characterization plan and the files it may read
 * @property {string} key      names the plan's content: the worker compiles it again only when the key changes
 * @property {string} text     the plan's YAML
 * @property {string} file     its file name (plan.yaml, or models/plans/NAME.plan.yaml)
 * @property {Record<string, string>} files  files the plan may read (its model), by path
 * @property {number} [seed]   replaces the plan's seed; -1 (the default) keeps it
 */

/** The request types: callers write `Type.compile`, never the string. */
export const Type = Object.freeze({
  methods: 'methods',
  units: 'units',
  functions: 'functions',
  standardLibraries: 'standardLibraries',
  compile: 'compile',
  release: 'release',
  checkModel: 'checkModel',
  checkPlan: 'checkPlan',
  solve: 'solve',
  solveText: 'solveText',
  solutionCsv: 'solutionCsv',
  preview: 'preview',
  planInfo: 'planInfo',
  runPoint: 'runPoint',
  merge: 'merge',
  resultsCsv: 'resultsCsv',
});

/** @typedef {typeof Type[keyof typeof Type]} RequestType */

/**
 * What each request takes (`args`: name -> JSDoc type and meaning) and what its reply's `result` is.
 * @type {Readonly<Record<RequestType, {summary: string, args: Record<string, string>, reply: string}>>}
 */
export const messages = Object.freeze({
  [Type.methods]: {
    summary: 'the solver methods, for the method menu and completion',
    args: {},
    reply: "{name, family, stiff, order, summary, ...}[]: the core's method table (methods())",
  },
  [Type.units]: {
    summary: 'the unit table, for completing unit names',
    args: {},
    reply: 'object: units_json(), every unit with its SI factor and dimension',
  },
  [Type.functions]: {
    summary: 'the expression functions, for completion in equations and the reference',
    args: {},
    reply: 'object: functions_json(), every function with its arguments and description',
  },
  [Type.standardLibraries]: {
    summary: "the standard library's files (models/lib/, built into the core)",
    args: {},
    reply: 'Record<string, string>: library name -> YAML text',
  },
  [Type.compile]: {
    summary: 'compiles a model and keeps its handle in the worker',
    args: { text: "string: the model's YAML", file: 'string: its file name, for diagnostics' },
    reply: "{model: number, info: object}: the handle's number (for solve and release) and the model's description",
  },
  [Type.release]: {
    summary: "frees a compiled model's handle",
    args: { model: 'number: a handle from compile' },
    reply: 'true',
  },
  [Type.checkModel]: {
    summary: "checks a model's text as it is typed (nothing kept)",
    args: { text: 'string', file: 'string' },
    reply: 'Diagnostic[]: every problem found, empty when the model compiles',
  },
  [Type.checkPlan]: {
    summary: "checks a plan's text as it is typed (nothing kept)",
    args: { text: 'string', file: 'string', files: 'Record<string, string>: files the plan may read' },
    reply: 'Diagnostic[]',
  },
  [Type.solve]: {
    summary: 'solves a compiled model; sends progress when asked',
    args: {
      model: 'number: a handle from compile',
      options: "object: solver options (method, rtol, atol, tspan, ...); the model's simulate block supplies the rest",
      settings: 'object: {set: {KEY: coherent value}}, parameter and initial-value overrides',
    },
    reply: 'Solution',
  },
  [Type.solveText]: {
    summary: 'one solve of a model given by its text (sweep members): compiled once per worker, then reused',
    args: { text: 'string', file: 'string', options: 'object', settings: 'object' },
    reply: 'Solution',
  },
  [Type.solutionCsv]: {
    summary:
      "a solution the page holds as CSV, written by the core's solution_csv as `numen run --outputs --format csv` " +
      'writes it (the model compiled once per worker from its text, then reused)',
    args: {
      text: "string: the YAML of the model that was solved (the run's, not the editor's if it changed since)",
      file: 'string',
      solution: '{t, x, y}: the Float64Arrays of a solve reply (copied, not transferred: the page keeps them)',
    },
    reply: 'string: the CSV text, a header `t,KEY [UNIT],...` (states, then outputs) and a row per saved point',
  },
  [Type.preview]: {
    summary: "a gallery card's preview: the model as published, solved on a coarse grid",
    args: { text: 'string', file: 'string', points: 'number: saved points (80 by default)' },
    reply: '{info: object, solution: Solution}',
  },
  [Type.planInfo]: {
    summary: 'compiles a plan (kept while its key stays the same) and describes it',
    args: { '...': 'PlanArgs' },
    reply:
      '{points: number, labels: string[], tests: string[], workers: number, model: object}: workers is the ' +
      "plan's solver.workers, 0 when it leaves the choice to the page",
  },
  [Type.runPoint]: {
    summary: 'runs one point of a plan (any worker: the plan is compiled there when its key is new)',
    args: { '...': 'PlanArgs', point: 'number: 0..points-1' },
    reply: "string: the point's result, JSON text for merge",
  },
  [Type.merge]: {
    summary: "merges the points' results into the plan's results document",
    args: {
      '...': 'PlanArgs',
      points: 'string[]: runPoint\'s results, in point order ({"error": "pending"} for any not done)',
    },
    reply: 'object: the results document {tests, plots, plan, model, ...}',
  },
  [Type.resultsCsv]: {
    summary: 'the CSV files of a results document',
    args: { results: 'object: a results document from merge' },
    reply: '{name: string, text: string}[]',
  },
});

/** True for a request type of this protocol. @param {unknown} type @returns {type is RequestType} */
export function isRequestType(type) {
  return typeof type === 'string' && Object.hasOwn(messages, type);
}

/** The envelope of a request. @param {number} id @param {RequestType} type @param {object} args @param {boolean} progress
 *  @returns {Request} */
export function request(id, type, args = {}, progress = false) {
  return { id, type, args, progress };
}

/** The message for a request whose type the worker does not know (a page and a worker of two builds). @param {unknown} type */
export function unknownTypeMessage(type) {
  return `unknown request type \`${String(type)}\`; this worker answers ${Object.keys(messages).join(', ')}`;
}
