import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

// The web app's benchmark (run by tests/bench/test_web_bench.py, not by `make test-e2e`): the
// same browser and platform as the browser tests, one long test, no retries, no traces.
export default defineConfig({
  ...base,
  testDir: '.',
  globalSetup: '../e2e/global-setup.ts',
  timeout: 900_000,
  reporter: [['list']],
  outputDir: '../../test-output/bench-results',
  use: { ...base.use, trace: 'off', screenshot: 'off' },
});
