// End-to-end: the GIL lab on real threads and its model, through the page and window.lab.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { GilPage } from "../pages.mjs";

const site = useSite();

async function gilPage() {
  const lab = new GilPage(await openPage(site.browser), site.server.url);
  await lab.open("gil");
  await lab.waitForPool();
  return lab;
}

test("CPU-bound threads wait for the GIL; without it they never wait and each process has its own globals", async () => {
  const lab = await gilPage();
  const run = (rule) => lab.consoleRun("gil", { threads: 2, workload: "cpu", rule });
  const withGil = await run("interval-eval-breaker");
  const free = await run("free-threaded");
  const processes = await run("processes");
  // Same work, same instruction count, whatever the rule.
  assert.equal(withGil.instructions, free.instructions);
  assert.equal(withGil.instructions, processes.instructions);
  // The lock is real: one thread waits while the other computes. That is proven by the waits
  // below, which do not depend on load; the speedup does (a busy 2-core VM slowed a one-thread
  // baseline and printed 1.30 once), so it is bounded loosely here and `make bench` prints it.
  assert.ok(withGil.speedup < 1.5, `GIL speedup ${withGil.speedup}`);
  assert.ok(withGil.handoffs >= 2, `hand-overs ${withGil.handoffs}`);
  assert.ok(withGil.gil_wait_ms > 0.3 * withGil.wall_ms, `GIL waits ${withGil.gil_wait_ms} in ${withGil.wall_ms}`);
  for (const r of [withGil, free, processes]) {
    assert.ok(r.cpu_percent > 0 && r.cpu_percent <= 100 * r.cores + 1e-9, `${r.rule} CPU ${r.cpu_percent}`);
    assert.ok(r.speedup > 0.3, `${r.rule} speedup ${r.speedup}`);
  }
  for (const r of [free, processes]) {
    assert.equal(r.handoffs, 0);
    assert.equal(r.gil_wait_ms, 0);
  }
  assert.equal(processes.globals.length, 2, "one set of globals per process");
  assert.match(withGil.versions, /CPython 3\.10/);
  lab.assertNoProblems();
});

test("IO-bound threads overlap their waits despite the GIL", async () => {
  const lab = await gilPage();
  const r = await lab.consoleRun("gil", { threads: 2, workload: "io", units: 20, io_ms: 25 });
  assert.ok(r.baseline_ms >= 20 * 25 * 0.95, `1 thread ${r.baseline_ms}`);
  assert.ok(r.speedup > 1.5, `speedup ${r.speedup}`);
  assert.ok(r.cpu_percent < 50, `CPU ${r.cpu_percent}`);
  lab.assertNoProblems();
});

test("C that releases the GIL hashes on both threads at once; C that keeps it makes them take turns", async () => {
  const lab = await gilPage();
  const hash = await lab.consoleRun("gil", { threads: 2, workload: "c_hash" });
  const sum = await lab.consoleRun("gil", { threads: 2, workload: "c_sum" });
  // The same bytecode and the same hashing: 64 calls of 1 MiB, split over the threads.
  assert.equal(hash.units, 64);
  assert.equal(hash.instructions, sum.instructions);
  // Holding the lock through a call, one thread waits while the other hashes: for most of the
  // run (load-independent, unlike the speedup). Releasing it, nobody waits for long.
  assert.ok(sum.gil_wait_ms > 0.5 * sum.wall_ms, `c_sum waits ${sum.gil_wait_ms} in ${sum.wall_ms}`);
  assert.ok(hash.gil_wait_ms < 0.2 * hash.wall_ms, `c_hash waits ${hash.gil_wait_ms} in ${hash.wall_ms}`);
  assert.ok(sum.speedup < 1.3, `c_sum speedup ${sum.speedup}`);
  if (hash.cores >= 2) assert.ok(hash.speedup > sum.speedup, `c_hash ${hash.speedup} vs c_sum ${sum.speedup}`);
  assert.match(hash.why, /^\d+\.\d\d×: c_hash releases the GIL/);
  assert.match(sum.why, /^\d+\.\d\d×: c_sum keeps the GIL/);
  // On the page: the program, its bytecode, the CPython check beside it, and a run.
  await lab.choose("gil-workload", "c_hash");
  assert.match(await lab.text("gil-source"), /c_hash\(1024\)/);
  assert.match(await lab.text("gil-listing"), /CALL_C_HASH/);
  assert.match(await lab.text("gil-c-note"), /CPython 3\.11\.7.*1\.95×/);
  lab.assertNoProblems();
});

test("the bank loses updates where a switch can fall between load and store, and never under 3.10+", async () => {
  const lab = await gilPage();
  const runs = async (rule, n) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await lab.consoleRun("gil", { threads: 2, workload: "bank", rule, units: 400000 }));
    return out;
  };
  const breaker = await runs("interval-eval-breaker", 20);
  assert.deepEqual(breaker.map((r) => r.lost_updates), Array(20).fill(0));
  assert.deepEqual(breaker.map((r) => r.final_balance), Array(20).fill(0));
  const any = await runs("interval-any", 20);
  assert.ok(any.some((r) => r.lost_updates > 0), `interval-any lost: ${any.map((r) => r.lost_updates)}`);
  const [ticks] = await runs("ticks", 1);
  assert.ok(ticks.lost_updates > 0 && ticks.handoffs > 100, JSON.stringify(ticks));
  const [free] = await runs("free-threaded", 1);
  assert.ok(free.lost_updates > 0, JSON.stringify(free));
  const [processes] = await runs("processes", 1);
  // Each process changed only its own balance: both end at 0, nothing is shared.
  assert.deepEqual(processes.globals, [[["balance", 0]], [["balance", 0]]]);
  assert.equal(processes.lost_updates, 0);
  lab.assertNoProblems();
});

test("the page runs the bank under a rule, shows the bytecode and the GIL's timeline", async () => {
  const lab = await gilPage();
  await lab.choose("gil-workload", "bank");
  const listing = await lab.text("gil-listing");
  assert.match(listing, /LOAD_GLOBAL\s+balance/);
  assert.match(listing, /\* CALL\s+change_it/);
  await lab.choose("gil-rule", "ticks");
  await lab.fill("gil-units", 200000);
  await lab.runThreads();
  const lost = Number(await lab.text("gil-lost"));
  assert.ok(lost > 0, `lost ${lost}`);
  assert.match(await lab.text("gil-why"), /only one thread runs bytecode at a time/);
  const lanes = await lab.page.$$eval("[data-testid=timeline] .lane-label", (els) => els.map((e) => e.textContent));
  assert.deepEqual([...lanes].sort(), ["GIL holder", "T1", "T2"]);
  await lab.page.screenshot({ path: join(ARTIFACTS, "gil-ui.png"), fullPage: true });
  lab.assertNoProblems();
});

test("a program that does not compile is refused with its line and column", async () => {
  const lab = await gilPage();
  const message = await lab.consoleError("gil", { workload: "custom", program: "def worker(n, units):\n    x = (\n" });
  assert.equal(message, "gil: program: line 2, column 10: expected a number, a name or '('".replace("gil: ", ""));
  const range = await lab.consoleError("gil", { threads: 99 });
  assert.equal(range, "gil: threads must be an integer between 1 and 16 (got 99)");
  lab.assertNoProblems();
});

test("the scheduling model: two 5 s waits take 10 s in turn and 5 s at once", async () => {
  const lab = await gilPage();
  const total = async (policy) => (await lab.consoleRun("sched-model", { policy, tasks: "two-waits" })).total_ms;
  assert.equal(await total("serial"), 10000);
  assert.equal(await total("threads"), 5000);
  assert.equal(await total("coroutines"), 5000);
  assert.equal(await total("greenlet"), 10000);
  await lab.choose("gil-sched-tasks", "two-waits");
  assert.equal(await lab.modelSeconds("serial"), 10);
  assert.equal(await lab.modelSeconds("coroutines"), 5);
  lab.assertNoProblems();
});

test("how many threads: throughput rises to the formula's count and no further, lower with the GIL", async () => {
  const lab = await gilPage();
  const sweep = (gil) => lab.consoleRun("thread-count", { wait_ms: 20, cpu_ms: 5, max_threads: 16, gil, duration_ms: 300 });
  const free = await sweep(false);
  const locked = await sweep(true);
  assert.deepEqual(free.points.map((p) => p.threads), [1, 2, 3, 4, 6, 8, 12, 16]);
  assert.equal(free.formula_optimum, free.cores * 5);
  assert.equal(locked.formula_optimum, 5);
  const at = (r, n) => r.points.find((p) => p.threads === n).tasks_per_s;
  // One thread finishes a task per 25 ms (a little more: its first task starts at once).
  // 1 / 25 ms = 40 tasks/s; the computing is calibrated at start-up, so a busy moment then
  // shifts every point by up to a fifth or so.
  assert.ok(at(free, 1) <= 50 && at(free, 1) > 25, `1 thread: ${at(free, 1)}`);
  // More threads help while they mostly wait...
  assert.ok(at(free, 4) > 2.5 * at(free, 1), `4 threads: ${at(free, 4)} vs ${at(free, 1)}`);
  // ...and the GIL caps computing at one thread's worth: 200 tasks/s for 5 ms tasks. How far
  // above that the free sweep climbs depends on the machine's load: `make bench` prints it.
  assert.ok(at(locked, 16) < at(free, 16) && at(locked, 16) < 300, `GIL, 16 threads: ${at(locked, 16)} vs free ${at(free, 16)}`);
  // No point beats its ideal by more than the calibration's error: each task is C ms of
  // work as calibrated at the start of the run.
  // (On this 2-core VM a busy calibration once let 12 free threads reach 1.31x the ideal.)
  for (const r of [free, locked]) for (const p of r.points) assert.ok(p.tasks_per_s <= p.ideal_tasks_per_s * 1.6, JSON.stringify(p));
  lab.assertNoProblems();
});

test("the scheduling model draws each activity's share of time, one path per activity", async () => {
  const lab = await gilPage();
  for (const policy of ["serial", "threads", "threads-gil", "processes", "coroutines", "greenlet"]) {
    const report = await lab.consoleRun("sched-model", { policy, tasks: "downloads" });
    const time = {};
    for (const s of report.spans) time[s.activity] = (time[s.activity] ?? 0) + s.end_ms - s.start_ms;
    const drawn = await lab.page.$$eval(`[data-testid=sched-${policy}] svg path`, (paths) => paths.map((p) => {
      let area = 0;
      for (const [, , , w, h] of p.getAttribute("d").matchAll(/M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-[\d.]+z/g)) area += w * h;
      return [p.dataset.activity, area];
    }));
    assert.ok(drawn.length <= 5, `${policy}: ${drawn.length} paths`);
    assert.equal(await lab.page.locator(`[data-testid=sched-${policy}] svg rect`).count(), 0);
    const share = (pairs) => {
      const total = pairs.reduce((a, [, v]) => a + v, 0);
      return Object.fromEntries(pairs.map(([k, v]) => [k, v / total]));
    };
    const [drawnShare, timeShare] = [share(drawn), share(Object.entries(time))];
    // Columns a unit wide, shares in quarters of a lane: within 4 points of the time's share.
    for (const activity of Object.keys(timeShare)) {
      assert.ok(Math.abs((drawnShare[activity] ?? 0) - timeShare[activity]) <= 0.04,
        `${policy} ${activity}: drawn ${(drawnShare[activity] ?? 0).toFixed(3)}, time ${timeShare[activity].toFixed(3)}`);
    }
  }
  // Threads on a GIL take turns faster than a column: both compute lanes show computing and
  // "ready, no core" stacked, not one colour.
  const gil = await lab.page.$$eval("[data-testid=sched-threads-gil] svg path", (paths) => paths.map((p) => p.dataset.activity));
  assert.ok(gil.includes("cpu") && gil.includes("ready"), gil.join(", "));
  lab.assertNoProblems();
});
