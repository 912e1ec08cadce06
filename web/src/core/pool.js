// @ts-check
// A pool of core workers (one wasm instance each) for sweeps and characterization plans. Tasks are handed out one
// at a time to whichever worker is free, so uneven tasks still keep every worker busy; results stream back through
// onResult as they finish. cancel() terminates every worker at once; the next run starts fresh ones.
import { CoreWorker, cancelledError } from './client.js';

/** The machine's logical cores, as the browser reports them (2 where it does not). */
export function hardwareCores() {
  return (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 2;
}

export function defaultPoolSize() {
  return Math.max(1, hardwareCores() - 1);
}

/**
 * The pool's size for a plan's run: the plan's own `solver.workers` when it gives one (never more than the machine's
 * cores), else what the page chose.
 * @param {number} planWorkers  the plan's solver.workers (planInfo's `workers`), 0 when the plan leaves it to the page
 * @param {number} chosen       the page's choice (the Sweep tab's workers)
 * @param {number} [cores]
 */
export function planPoolSize(planWorkers, chosen, cores = hardwareCores()) {
  if (Number.isInteger(planWorkers) && planWorkers > 0) return Math.max(1, Math.min(planWorkers, cores));
  return Math.max(1, chosen);
}

export class WorkerPool {
  constructor(size = defaultPoolSize()) {
    this.size = size;
    /** @type {CoreWorker[]} */
    this.workers = [];
    this.generation = 0;
  }

  resize(size) {
    this.size = Math.max(1, Math.floor(size));
    while (this.workers.length > this.size) this.workers.pop().terminate();
  }

  ensureWorkers() {
    while (this.workers.length < this.size) this.workers.push(new CoreWorker());
    return this.workers;
  }

  /**
   * Resolves with every result (or {error} for a task that threw) in task order.
   * @param {{type: import('./protocol.js').RequestType, args: object}[]} tasks  requests of core/protocol.js
   * @param {{onResult?: (index: number, result: any) => void, onProgress?: (done: number, total: number) => void}} [callbacks]
   */
  async run(tasks, { onResult, onProgress } = {}) {
    const generation = ++this.generation;
    const workers = this.ensureWorkers();
    const results = new Array(tasks.length);
    let next = 0;
    let done = 0;
    onProgress?.(0, tasks.length);
    const loop = async (worker) => {
      while (next < tasks.length) {
        const index = next++;
        const { type, args } = tasks[index];
        /** @type {any} */
        let result;
        try {
          result = await worker.call(type, args);
        } catch (e) {
          if (e.cancelled || generation !== this.generation) throw cancelledError();
          result = { error: { message: e.message, diagnostics: e.diagnostics ?? [] } };
        }
        if (generation !== this.generation) throw cancelledError();
        results[index] = result;
        done += 1;
        onResult?.(index, result);
        onProgress?.(done, tasks.length);
      }
    };
    await Promise.all(workers.slice(0, Math.min(workers.length, tasks.length)).map(loop));
    return results;
  }

  cancel() {
    this.generation += 1;
    for (const worker of this.workers) worker.terminate();
    this.workers = [];
  }
}
