// Browser tests: Debian's Chromium against the production build served by `vite preview`.
import { defineConfig } from '@playwright/test';

import { launchOptions } from './e2e/chromium.js';
import { port } from './e2e/port.js';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    browserName: 'chromium',
    launchOptions,
  },
  webServer: {
    command: `npx vite preview --config web/vite.config.js --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
