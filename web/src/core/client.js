// A promise-based client for one core worker. Requests are answered in order of completion; terminate() really
// stops the worker (a solve in progress dies with it) and rejects what was pending.

export class CoreError extends Error {
  constructor(message, diagnostics = []) {
    super(message);
    this.name = 'CoreError';
    this.diagnostics = diagnostics;
  }
}

export class CoreWorker {
  constructor() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => {
      const request = this.pending.get(data.id);
      if (!request) return;
      this.pending.delete(data.id);
      if (data.ok) request.resolve(data.result);
      else request.reject(new CoreError(data.error.message, data.error.diagnostics));
    };
    this.worker.onerror = (event) => {
      const error = new CoreError(`the core worker failed: ${event.message ?? 'unknown error'}`);
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
  }

  call(type, args = {}, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, ...args }, transfer);
    });
  }

  get busy() {
    return this.pending.size > 0;
  }

  terminate() {
    this.worker.terminate();
    const error = new CoreError('cancelled');
    error.cancelled = true;
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }
}
