// @ts-check
// Promise-based clients for the core workers, speaking core/protocol.js. CoreWorker talks to one worker; requests
// are answered in order of completion, with progress on the way. terminate() really stops the worker (a solve in
// progress dies with it) and rejects what was pending; CoreService wraps it so that a cancelled worker is replaced
// on the next request.
import { isRequestType, request, unknownTypeMessage } from './protocol.js';

export class CoreError extends Error {
  /** @param {string} message @param {import('./protocol.js').Diagnostic[]} diagnostics */
  constructor(message, diagnostics = []) {
    super(message);
    this.name = 'CoreError';
    this.diagnostics = diagnostics;
    this.cancelled = false;
    this.restarted = false;
  }
}

export function cancelledError() {
  const error = new CoreError('cancelled');
  error.cancelled = true;
  return error;
}

export class CoreWorker {
  constructor() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    /** @type {Map<number, {resolve: (v: any) => void, reject: (e: Error) => void, onProgress?: (f: number) => void}>} */
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = (/** @type {MessageEvent<import('./protocol.js').Reply>} */ { data }) => {
      const request = this.pending.get(data.id);
      if (!request) return;
      if ('progress' in data) {
        request.onProgress?.(data.progress);
        return;
      }
      this.pending.delete(data.id);
      if (data.ok) request.resolve(data.result);
      else {
        const error = new CoreError(data.error.message, data.error.diagnostics);
        error.restarted = Boolean(data.error.restarted); // the worker's handles are gone: compile again
        request.reject(error);
      }
    };
    this.worker.onerror = (event) => {
      const error = new CoreError(`the core worker failed: ${event.message ?? 'unknown error'}`);
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
  }

  /**
   * Sends one request of core/protocol.js (`type` from its `Type`) and resolves with its reply's result.
   * @param {import('./protocol.js').RequestType} type
   * @param {object} [args]
   * @param {{onProgress?: (fraction: number) => void, transfer?: Transferable[]}} [options]
   */
  call(type, args = {}, { onProgress, transfer = [] } = {}) {
    if (!isRequestType(type)) return Promise.reject(new CoreError(unknownTypeMessage(type)));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage(request(id, type, args, Boolean(onProgress)), transfer);
    });
  }

  terminate() {
    this.worker.terminate();
    const error = cancelledError();
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }
}

/// One logical core that survives cancellation: cancel() kills the worker, the next call starts a fresh one.
export class CoreService {
  constructor() {
    /** @type {CoreWorker | null} */
    this.worker = null;
  }

  get current() {
    if (!this.worker) this.worker = new CoreWorker();
    return this.worker;
  }

  /** @param {import('./protocol.js').RequestType} type @param {object} [args] @param {Parameters<CoreWorker['call']>[2]} [options] */
  call(type, args, options) {
    return this.current.call(type, args, options);
  }

  cancel() {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
  }
}
