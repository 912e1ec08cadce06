// How the browser tests and benchmarks launch Debian's Chromium (NUMEN_CHROMIUM overrides the path): quiet, no
// network of its own, no sandbox (CI runs as root). Read by playwright.config.js and bench/startup/startup.mjs.
export const launchOptions = {
  executablePath: process.env.NUMEN_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
