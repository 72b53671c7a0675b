// Time to hydrated, for scripts/bench.sh: a visitor's first load of each
// page (a fresh browser context, so nothing cached) with the CPU slowed 4×
// by Chromium's DevTools throttling, from navigation start until the page's
// `data-hydrated` marker turns "true" (the WASM has taken over). Prints
// "path median_ms runs…" per page. A measurement, not a test.
//
//   node end2end/bench/hydration.mjs BASE_URL PATH...
import { chromium } from "@playwright/test";

const RUNS = 3;
const [base, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
});
try {
  for (const path of paths) {
    const times = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const devtools = await context.newCDPSession(page);
      await devtools.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      await page.goto(base + path, { waitUntil: "commit" });
      await page.waitForFunction(
        () => document.querySelector(".app")?.getAttribute("data-hydrated") === "true",
        null,
        { polling: "raf", timeout: 60_000 },
      );
      times.push(await page.evaluate(() => Math.round(performance.now())));
      await context.close();
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`${path} ${sorted[Math.floor(RUNS / 2)]} ${times.join(" ")}`);
  }
} finally {
  await browser.close();
}
