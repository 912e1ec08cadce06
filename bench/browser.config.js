// Browser measurements (not tests): the same Chromium and production build as e2e/, run by scripts/bench.sh.
import base from '../playwright.config.js';

export default {
  ...base,
  testDir: 'browser',
  testMatch: '*.bench.js',
  outputDir: '../test-results/bench',
  timeout: 120_000,
  webServer: { ...base.webServer, cwd: '..' },
};
