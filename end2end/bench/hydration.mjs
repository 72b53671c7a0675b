// Time to hydrated and WASM downloaded, for scripts/bench.sh: a visitor's
// first load of each page (a fresh browser context, so nothing cached) with
// the CPU slowed 4× by Chromium's DevTools throttling, from navigation start
// until the page's `data-hydrated` marker turns "true" (the WASM has taken
// over). The WASM a page needs is every `.wasm` file it fetched (one today;
// the main module and the page's pieces if the bundle were split): those are
// asked for again with `Accept-Encoding: br` (Chromium only offers brotli over
// HTTPS) and their sizes as sent added up. Prints per page
// "path median_ms wasm_br_bytes wasm_files runs_ms…". A measurement, not a test.
//
//   node end2end/bench/hydration.mjs BASE_URL PATH...
import { request } from "node:http";
import { chromium } from "@playwright/test";

const RUNS = 3;
const [base, ...paths] = process.argv.slice(2);

/** The number of bytes the server sends for `url` to a client that accepts brotli. */
function brotliSize(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { "Accept-Encoding": "br" } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${url} answered ${res.statusCode}`));
        res.resume();
        return;
      }
      let bytes = 0;
      res.on("data", (chunk) => (bytes += chunk.length));
      res.on("end", () => resolve(bytes));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
});
try {
  for (const path of paths) {
    const times = [];
    const wasm = new Set();
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on("request", (req) => {
        const url = new URL(req.url());
        if (url.pathname.endsWith(".wasm")) wasm.add(url.href);
      });
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
    let bytes = 0;
    for (const url of wasm) bytes += await brotliSize(url);
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`${path} ${sorted[Math.floor(RUNS / 2)]} ${bytes} ${wasm.size} ${times.join(" ")}`);
  }
} finally {
  await browser.close();
}
