// `make bench`: performance figures of the release build, printed, never asserted.
// - parallel efficiency of the cores kernel at N = cores (goal >= 0.85 on 2 cores)
// - wasm single-thread vs native time of the same kernel (goal <= 1.3x), reading the native
//   figure that `cargo bench --bench kernels` wrote to target/bench-native.json
// - release wasm size, raw and gzip (goal <= 400 KB gzip)
// - time from navigation to pool ready
// - the interleaving explorer on the 3-thread race, with and without reduction (states/s)
// - the GIL lab: CPU-bound speedup of 2 threads under each switch rule, and the thread-count
//   sweep's best throughput with and without the GIL
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
    // Efficiency is measured at the number of cores: the pool has more workers than that.
  const r = await page.evaluate(() => window.lab.run("cores", {
    threads: Math.min(window.lab.machine().cores, window.lab.machine().pool_threads), repeats: 5 }));
  console.log(`parallel efficiency at ${r.threads} threads: ${r.efficiency.toFixed(3)} (speedup ${r.speedup.toFixed(2)}x; ` +
    `1 thread ${r.baseline_ms.toFixed(1)} ms, ${r.threads} threads ${r.wall_ms.toFixed(1)} ms, median of 5) (goal >= 0.85)`);

  // The explorer's search runs on the conductor; one run first so the timed ones are warm.
  const explore = () => page.evaluate(() => window.lab.run("explore", { preset: "balance-3" }));
  await explore();
  const searches = [];
  for (let i = 0; i < 7; i++) searches.push(await explore());
  const reducedMs = median(searches.map((s) => s.ms));
  const plainMs = median(searches.map((s) => s.unreduced.ms));
  const [e, plain] = [searches[0], searches[0].unreduced];
  const rate = (states, ms) => `${(states / ms / 1000).toFixed(1)} M states/s`;
  console.log(`explorer, balance-3: with reduction ${e.states} states in ${reducedMs.toFixed(2)} ms (${rate(e.states, reducedMs)}); ` +
    `one by one ${plain.states} states, ${plain.schedules} schedules in ${plainMs.toFixed(2)} ms (${rate(plain.states, plainMs)}); ` +
    `${(plain.states / e.states).toFixed(1)}x fewer states (median of 7, warm)`);

  const gilPage = await openPage(browser);
  await gilPage.goto(`${server.url}/#/gil`);
  await gilPage.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
  const gilRun = (params) => gilPage.evaluate((p) => window.lab.run(p.id, p.params), params);
  const rules = ["interval-eval-breaker", "interval-any", "ticks", "free-threaded", "processes"];
  const speedups = [];
  for (const rule of rules) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push((await gilRun({ id: "gil", params: { threads: 2, workload: "cpu", rule } })).speedup);
    speedups.push(`${rule} ${median(runs).toFixed(2)}x`);
  }
  console.log(`GIL lab, CPU-bound, 2 threads vs 1 (median of 3): ${speedups.join(", ")} ` +
    "(goal: < 1.1x under a GIL, >= 1.6x free-threaded and processes on 2 cores)");
  const sweep = async (gil) => (await gilRun({ id: "thread-count", params: { wait_ms: 20, cpu_ms: 5, max_threads: 16, gil, duration_ms: 400 } }));
  const [free, locked] = [await sweep(false), await sweep(true)];
  const peak = (r) => r.points.reduce((a, b) => (b.tasks_per_s > a.tasks_per_s ? b : a));
  console.log(`GIL lab, thread count (5 ms computing + 20 ms waiting): free peak ${peak(free).tasks_per_s.toFixed(0)} tasks/s at ` +
    `${peak(free).threads} threads (ideal ${peak(free).ideal_tasks_per_s.toFixed(0)}), GIL peak ${peak(locked).tasks_per_s.toFixed(0)} tasks/s at ` +
    `${peak(locked).threads} threads (ideal ${peak(locked).ideal_tasks_per_s.toFixed(0)})`);

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
