// The port the preview server listens on during browser tests (NUMEN_E2E_PORT, so that two checkouts on one
// machine can test at once). Read by playwright.config.js and the tests alike.
export const port = Number(process.env.NUMEN_E2E_PORT ?? 4174);
export const origin = `http://127.0.0.1:${port}/`;
