// `make bench`: performance figures of the release build, printed, never asserted.
// - parallel efficiency of the cores kernel at N = cores (goal >= 0.85 on 2 cores)
// - wasm single-thread vs native time of the same kernel (goal <= 1.3x), reading the native
//   figure that `cargo bench --bench kernels` wrote to target/bench-native.json
// - release wasm size, raw and gzip (goal <= 400 KB gzip)
// - start-up: navigation to first paint, to the app's first render, to pool ready
// - the interleaving explorer on the 3-thread race, with and without reduction (states/s)
// - the GIL lab: CPU-bound speedup of 2 threads under each switch rule, and the thread-count
//   sweep's best throughput with and without the GIL
// - the processes lab's cost table (start, round trip, bulk copy) and its verdicts
// - the IO lab's select / poll / epoll slopes
// - the longest frame gap on the page while each lab runs at its largest allowed sizes
//   (opened through a link that carries them; a run still going after 8 s is cancelled)
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { serve } from "./serve.mjs";
import { launch, openPage } from "./browser.mjs";
import { LabPage } from "./pages.mjs";

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
  // Start-up, from navigation: the first paint (index.html's own "loading" text), the app's
  // first render (its lab heading in the DOM), the pool ready (as the page states it), and
  // the longest task on the page's thread meanwhile.
  const startups = [];
  for (let i = 0; i < 3; i++) {
    const page = await openPage(browser);
    await page.addInitScript(() => {
      window.__startup = { longest: 0 };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__startup.longest = Math.max(window.__startup.longest, e.duration);
      }).observe({ type: "longtask", buffered: true });
      new MutationObserver((_, observer) => {
        if (document.querySelector("main h2")) { window.__startup.rendered = performance.now(); observer.disconnect(); }
      }).observe(document, { subtree: true, childList: true });
    });
    await page.goto(`${server.url}/#/cores`);
    await page.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
    const ready = Number((await page.textContent("[data-testid=pool]")).match(/ready in (\d+) ms/)[1]);
    const s = await page.evaluate(() => ({
      ...window.__startup,
      paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
    }));
    startups.push({ paint: s.paint, rendered: s.rendered, ready, longest: s.longest });
    await page.close();
  }
  const ms = (key) => `${median(startups.map((s) => s[key])).toFixed(0)} ms`;
  console.log(`start-up (cores page, median of 3): first paint ${ms("paint")}, app rendered ${ms("rendered")}, ` +
    `pool ready ${ms("ready")} (runs: ${startups.map((s) => s.ready).join(", ")} ms); longest task meanwhile ${ms("longest")}`);

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

  // Litmus tests on real threads: outcome counts and runs per second, plain and fenced.
  for (const [test, iterations] of [["SB", 1000000], ["MP", 1000000], ["LB", 1000000], ["IRIW", 100000]]) {
    for (const fence of [false, true]) {
      const l = await page.evaluate((p) => window.lab.run("litmus-hw", p), { test, iterations, fence });
      const counts = Object.entries(l.counts).map(([k, n]) => `${k}: ${n}`).join(", ");
      console.log(`litmus ${test}${fence ? " (SC atomics)" : ""}: ${counts}; ${(l.runs_per_s / 1e6).toFixed(2)} M runs/s; ${l.verdict}`);
    }
  }

  // A second open lab page (its workers, its frames) costs the GIL runs a share of the two
  // cores: free-threaded 2 vs 1 measured 1.28-1.55x with it open, 1.82-1.84x alone.
  await page.close();
  const gilPage = await openPage(browser);
  await gilPage.goto(`${server.url}/#/gil`);
  await gilPage.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
  const gilRun = (params) => gilPage.evaluate((p) => window.lab.run(p.id, p.params), params);
  const rules = ["interval-eval-breaker", "interval-any", "ticks", "free-threaded", "processes"];
  const speedups = [];
  const nsPerInstruction = {};
  for (const rule of rules) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await gilRun({ id: "gil", params: { threads: 2, workload: "cpu", rule } }));
    speedups.push(`${rule} ${median(runs.map((r) => r.speedup)).toFixed(2)}x`);
    // One thread alone: what each instruction costs with this rule's checks and no contention.
    nsPerInstruction[rule] = median(runs.map((r) => (r.baseline_ms * 1e6) / r.instructions));
  }
  console.log(`GIL lab, CPU-bound, 2 threads vs 1 (median of 3): ${speedups.join(", ")} ` +
    "(goal: < 1.1x under a GIL, >= 1.6x free-threaded and processes on 2 cores)");
  const free1 = nsPerInstruction["free-threaded"];
  console.log(`GIL lab, one thread alone: ${free1.toFixed(2)} ns per instruction without a GIL; the GIL's checks add ` +
    rules.filter((r) => r !== "free-threaded" && r !== "processes")
      .map((r) => `${(nsPerInstruction[r] - free1).toFixed(2)} ns (${r})`).join(", "));
  const cCalls = [];
  for (const workload of ["c_hash", "c_sum"]) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await gilRun({ id: "gil", params: { threads: 2, workload } }));
    const mid = median(runs.map((r) => r.speedup));
    const run = runs.find((r) => r.speedup === mid);
    cCalls.push(`${workload} ${mid.toFixed(2)}x (1 thread ${run.baseline_ms.toFixed(0)} ms, ` +
      `GIL waits ${(run.gil_wait_ms / run.wall_ms).toFixed(2)} of the wall time per thread pair)`);
  }
  console.log(`GIL lab, C calls of 1 MiB under the 3.10+ GIL, 2 threads vs 1 (median of 3): ${cCalls.join(", ")} ` +
    "(CPython 3.11.7 on this machine: hashlib.sha256 1.95x, sum(range(n)) 1.01x)");
  const sweep = async (gil) => (await gilRun({ id: "thread-count", params: { wait_ms: 20, cpu_ms: 5, max_threads: 16, gil, duration_ms: 400 } }));
  const [free, locked] = [await sweep(false), await sweep(true)];
  const peak = (r) => r.points.reduce((a, b) => (b.tasks_per_s > a.tasks_per_s ? b : a));
  console.log(`GIL lab, thread count (5 ms computing + 20 ms waiting): free peak ${peak(free).tasks_per_s.toFixed(0)} tasks/s at ` +
    `${peak(free).threads} threads (ideal ${peak(free).ideal_tasks_per_s.toFixed(0)}), GIL peak ${peak(locked).tasks_per_s.toFixed(0)} tasks/s at ` +
    `${peak(locked).threads} threads (ideal ${peak(locked).ideal_tasks_per_s.toFixed(0)})`);

  const costs = await gilRun({ id: "costs", params: { repeats: 15 } });
  for (const row of costs.rows) {
    console.log(`processes lab, ${row.name}: median ${row.median_us.toFixed(2)} µs (p10 ${row.p10_us.toFixed(2)}, p90 ${row.p90_us.toFixed(2)}; ${row.samples} × ${row.batch})`);
  }
  for (const t of costs.transfer) console.log(`processes lab, ${t.name}: ${t.mb_per_s.toFixed(0)} MB/s, ${t.bytes_copied} bytes copied`);
  for (const v of costs.verdicts) console.log(`processes lab, ${v.confirmed ? "confirmed" : "NOT confirmed"}: ${v.claim} (${v.detail})`);
  const poolRun = (submit) => gilRun({ id: "pool", params: { processes: 4, tasks: 8, task_ms: 400, descending: true, submit } });
  const [applied, mapped] = [await poolRun("apply_async"), await poolRun("map")];
  console.log(`processes lab, Pool(4) over 8 tasks of 400 … 50 ms: apply_async's first callback at ` +
    `${applied.callbacks[0].at_ms.toFixed(0)} ms (task ${applied.callbacks[0].task}), its last at ` +
    `${applied.callbacks.at(-1).at_ms.toFixed(0)} ms; map's list at ${mapped.last_result_ms.toFixed(0)} ms`);
  const managed = async (lock) => gilRun({ id: "manager", params: { increments: 500, lock } });
  const [unlocked, managerLocked] = [await managed(false), await managed(true)];
  console.log(`processes lab, Manager dict, 2 processes × 500 d["n"] += 1: ${unlocked.counter} of 1000 without the lock ` +
    `(${unlocked.ms.toFixed(0)} ms, ${unlocked.us_per_call.toFixed(0)} µs per proxy call), ${managerLocked.counter} with it ` +
    `(${managerLocked.ms.toFixed(0)} ms) (CPython 3.11.7 here: 559-588 of 1000, 1000 with the lock, 2-3x slower)`);

  const io = await gilRun({ id: "select-epoll", params: { max_fds: 100000, ready: 10, repeats: 200 } });
  const last = io.points[io.points.length - 1];
  console.log(`IO lab, log-log slopes of ns per wait (n = 100 … 100 000, 10 ready): select ${io.slopes.select.toFixed(2)}, ` +
    `poll ${io.slopes.poll.toFixed(2)}, epoll ${io.slopes.epoll.toFixed(2)} (goal: ≈ 1, ≈ 1, ≈ 0); at n = ${last.n}: ` +
    `poll ${last.poll_ns.toFixed(0)} ns, epoll ${last.epoll_ns.toFixed(0)} ns`);

  // Frame gaps at the largest sizes. Each lab opens from a link holding its inputs, with
  // every size at the maximum that lab.help() states (the ranges that are enforced).
  const help = await gilPage.evaluate(() => window.lab.help());
  const max = (experiment, parameter) => {
    const row = help.find((r) => r.experiment === experiment && r.parameter === parameter);
    return Number(row.range.match(/\.\.=(\d+)/)[1]);
  };
  const link = (route, inputs) => `${route}?${new URLSearchParams(inputs)}`;
  // Thread counts are bounded by the workers this machine's pool has, not only the definition.
  const { pool_threads: pool } = await gilPage.evaluate(() => window.lab.machine());
  const threads = (experiment) => Math.min(max(experiment, "threads"), pool);
  const largest = [
    ["cores", link("cores", { threads: threads("cores"), size: "large", max_iter: max("cores", "max_iter") }), "run"],
    ["race", link("shared-memory", { tab: "race", "race/threads": threads("race"), "race/iterations": max("race", "iterations"), "race/repeats": max("race", "repeats") }), "run"],
    ["queue", link("shared-memory", { tab: "queue", "queue/items": max("queue", "items"), "queue/produce_us": 0, "queue/consume_us": 0,
      "queue/capacity": max("queue", "capacity") }), "run"],
    ["semaphore", link("shared-memory", { tab: "semaphore", "semaphore/threads": threads("semaphore"), "semaphore/rounds": max("semaphore", "rounds"),
      "semaphore/permits": 1, "semaphore/work": 5 }), "run"],
    ["gil", link("gil", { "run/threads": threads("gil") }), "run"],
    ["processes pool", link("processes", { "pool/processes": max("pool", "processes"), "pool/tasks": max("pool", "tasks"), "pool/task_ms": 1 }), "run"],
    ["io models", link("io", { "io-models/connections": max("io-models", "connections") }), "run"],
    ["explorer", link("explorer", { preset: "balance-3", mode: "count", budget: max("explore", "budget") }), "explore"],
  ];
  for (const [label, route, button] of largest) {
    const lab = new LabPage(await openPage(browser), server.url);
    await lab.open(route);
    await lab.waitForPool();
    const run = lab.page.locator(`[data-testid=${button}]:not([disabled])`).last();
    const count = await lab.page.locator(`[data-testid=${button}]`).count();
    if (count === 0) {
      console.log(`frame gap at largest sizes, ${label}: no ${button} button on #/${route}`);
      continue;
    }
    await lab.startFrameProbe();
    const started = Date.now();
    await run.click();
    const idle = () => lab.page.evaluate(() => [...document.querySelectorAll("[data-testid=cancel], [data-testid=explore-cancel]")].every((b) => b.disabled));
    let cancelled = false;
    while (!(await idle())) {
      if (!cancelled && Date.now() - started > 8000) {
        cancelled = true;
        await lab.page.evaluate(() => window.lab.cancel());
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const frames = await lab.stopFrameProbe();
    const errors = await lab.page.$$eval("[data-testid=error], [data-testid=explore-error]", (els) => els.map((e) => e.textContent.trim()));
    const problems = lab.page.problems.length ? `; ${lab.page.problems.length} console problems` : "";
    console.log(`frame gap at largest sizes, ${label}: longest ${frames.longest.toFixed(0)} ms over ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(${frames.count} frames${cancelled ? ", cancelled after 8 s" : ""}${problems}) (goal <= 100 ms)` +
      (errors.length && !cancelled ? `; the run stopped with: ${errors.join("; ")}` : ""));
    await lab.page.close();
  }

  try {
    const native = JSON.parse(readFileSync(join(ROOT, "target", "bench-native.json"), "utf8"));
    const same = native.checksum === r.checksum ? "same checksum" : `checksum differs: ${native.checksum} vs ${r.checksum}`;
    console.log(`wasm 1 thread / native 1 thread: ${(r.baseline_ms / native.native_single_ms).toFixed(2)}x ` +
      `(${r.baseline_ms.toFixed(1)} ms vs ${native.native_single_ms.toFixed(1)} ms, ${same}) (goal <= 1.3x)`);
    if (native.io) {
      const nativeLast = native.io.points[native.io.points.length - 1];
      console.log(`IO lab, wasm / native at n = ${nativeLast.n}: poll ${(last.poll_ns / nativeLast.poll_ns).toFixed(2)}x, ` +
        `epoll ${(last.epoll_ns / nativeLast.epoll_ns).toFixed(2)}x; native slopes select ${native.io.slopes.select.toFixed(2)}, ` +
        `poll ${native.io.slopes.poll.toFixed(2)}, epoll ${native.io.slopes.epoll.toFixed(2)}`);
    }
  } catch {
    console.log("wasm vs native: run `cargo bench --bench kernels` first (make bench does)");
  }
} finally {
  await browser.close();
  await server.close();
}
