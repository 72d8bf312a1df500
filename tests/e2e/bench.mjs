// `make bench`: performance figures of the release build, printed, never asserted.
// - parallel efficiency of the cores kernel at N = pool size (goal >= 0.85 on 2 cores)
// - wasm single-thread vs native time of the same kernel (goal <= 1.3x), reading the native
//   figure that `cargo bench --bench kernels` wrote to target/bench-native.json
// - release wasm size, raw and gzip (goal <= 400 KB gzip)
// - time from navigation to pool ready
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { serve } from "./serve.mjs";
import { launch, openPage } from "./browser.mjs";

const ROOT = join(import.meta.dirname, "..", "..");
const DIST = join(ROOT, "dist");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const wasmFile = readdirSync(DIST).find((f) => f.endsWith(".wasm"));
const wasm = readFileSync(join(DIST, wasmFile));
const gzipKb = gzipSync(wasm, { level: 9 }).length / 1024;
console.log(`wasm size: ${(wasm.length / 1024).toFixed(0)} KB raw, ${gzipKb.toFixed(0)} KB gzip (goal <= 400 KB gzip)`);

const server = await serve(DIST);
const browser = await launch();
try {
  const readyTimes = [];
  for (let i = 0; i < 3; i++) {
    const page = await openPage(browser);
    await page.goto(`${server.url}/#/cores`);
    await page.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
    readyTimes.push(Number((await page.textContent("[data-testid=pool]")).match(/ready in (\d+) ms/)[1]));
    await page.close();
  }
  console.log(`navigation to pool ready: median ${median(readyTimes)} ms (runs: ${readyTimes.join(", ")} ms)`);

  const page = await openPage(browser);
  await page.goto(`${server.url}/#/cores`);
  await page.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
  const r = await page.evaluate(() => window.lab.run("cores", { threads: window.lab.machine().pool_threads, repeats: 5 }));
  console.log(`parallel efficiency at ${r.threads} threads: ${r.efficiency.toFixed(3)} (speedup ${r.speedup.toFixed(2)}x; ` +
    `1 thread ${r.baseline_ms.toFixed(1)} ms, ${r.threads} threads ${r.wall_ms.toFixed(1)} ms, median of 5) (goal >= 0.85)`);

  try {
    const native = JSON.parse(readFileSync(join(ROOT, "target", "bench-native.json"), "utf8"));
    const same = native.checksum === r.checksum ? "same checksum" : `checksum differs: ${native.checksum} vs ${r.checksum}`;
    console.log(`wasm 1 thread / native 1 thread: ${(r.baseline_ms / native.native_single_ms).toFixed(2)}x ` +
      `(${r.baseline_ms.toFixed(1)} ms vs ${native.native_single_ms.toFixed(1)} ms, ${same}) (goal <= 1.3x)`);
  } catch {
    console.log("wasm vs native: run `cargo bench --bench kernels` first (make bench does)");
  }
} finally {
  await browser.close();
  await server.close();
}
