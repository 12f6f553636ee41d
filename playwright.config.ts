// Browser tests of the site (test/site/*.spec.ts) in Debian's Chromium. One fixture site is built and served
// once for the whole run by test/site/global-setup.ts.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/site',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/site/global-setup.ts',
  timeout: 60_000,
  workers: 2,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
