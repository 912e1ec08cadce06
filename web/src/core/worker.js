// @ts-check
// The core runs here, never on the UI thread: one wasm instance per worker. The protocol is core/protocol.js; the
// handlers are core/host.js (which tests/wasm/protocol.test.mjs runs under Node with the same core).
import createNumenModule from '@numen/core';
import { createHost } from './host.js';

const host = createHost(() => createNumenModule());
self.onmessage = ({ data }) => host.receive(data, (message, transfer = []) => self.postMessage(message, transfer));
