import { defineConfig, devices } from "@playwright/test";

// Runs against the release build that `cargo leptos end-to-end --release`
// starts (see scripts/test.sh), in Debian's Chromium: Playwright's own
// browser downloads cannot work on these machines.
export default defineConfig({
  testDir: "./tests",
  // Journeys sign people up (argon2) and hydrate several pages: allow for a busy 2-core CI.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  workers: 2,
  reporter: [["list"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  // Open Library's search, as the server is told to find it
  // (OPEN_LIBRARY_URL in scripts/test.sh): a local stand-in, offline.
  webServer: {
    command: "node open-library-stub.mjs",
    url: `http://127.0.0.1:${process.env.OPEN_LIBRARY_STUB_PORT ?? 3190}/health`,
    reuseExistingServer: false,
    timeout: 10_000,
  },
});
