// End-to-end: the cores lab, through the UI and through window.lab, as a visitor would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite, assertNear } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();

async function openLab() {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("cores");
  await lab.waitForPool();
  return lab;
}

/** "2 threads", "1 thread": the label of a parallel run. */
const threadsText = (n) => `${n} thread${n === 1 ? "" : "s"}`;

/** Work items a run is cut into (src/model/labs/cores.rs: chunk_count). */
const chunkCount = (height, chunkRows = 4) => Math.ceil(height / chunkRows);

/**
 * The relations every cores report keeps, whatever the machine's load: speedup and CPU use
 * derived from the same two wall times, efficiency per thread that really ran, the lanes'
 * work adding up to the whole image, and no lane busy for longer than the run.
 */
function assertConsistent(r, { cores, pool, height = 400, label = "" }) {
  const at = (what) => `${label}${what}: ${JSON.stringify(r)}`;
  assert.equal(r.lab, "cores");
  assert.equal(r.cores, cores, at("cores"));
  assert.equal(r.pool_threads, pool, at("pool_threads"));
  assert.equal(r.cross_origin_isolated, true);
  assert.equal(r.same_as_baseline, true, at("same_as_baseline"));
  assert.ok(r.wall_ms > 0 && r.baseline_ms > 0, at("times"));
  assert.equal(r.wall_ms_samples.length, r.repeats);
  assert.equal(r.baseline_ms_samples.length, r.repeats);
  assertNear(r.speedup, r.baseline_ms / r.wall_ms, 1e-9, at("speedup"));
  assertNear(r.efficiency, r.speedup / r.threads_used, 1e-9, at("efficiency"));
  // CPU use is derived from the work rate and can never exceed the cores.
  assert.ok(r.cpu_percent <= cores * 100 + 1e-9, at("cpu_percent above the cores"));
  const uncapped = (100 * r.baseline_ms) / r.wall_ms;
  if (uncapped >= cores * 100) {
    assert.equal(r.cpu_percent, cores * 100, at("capped cpu_percent"));
  } else {
    assertNear(r.cpu_percent, uncapped, 1e-9, at("cpu_percent"));
  }
  const shown = r.cpu_text.match(/^≈ (\d+) % of (\d+) cores?$/);
  assert.ok(shown, at("cpu_text"));
  assertNear(Number(shown[1]), r.cpu_percent, 0.5 + 1e-9, at("cpu_text percent"));
  assert.equal(Number(shown[2]), cores);
  assert.match(r.cpu_method, /cannot read CPU time/);
  // Lanes: distinct pool workers (a task that found no work left reports 0 chunks), every
  // work item done once, none busy for longer than the run.
  const lanes = r.lanes.map((l) => l.lane);
  assert.equal(new Set(lanes).size, lanes.length, at("distinct lanes"));
  assert.ok(lanes.every((l) => Number.isInteger(l) && l >= 0 && l < pool), at("lanes in the pool"));
  assert.ok(r.lanes.length >= 1 && r.lanes.length <= r.threads_used, at("lane count"));
  assert.equal(r.lanes.reduce((sum, l) => sum + l.chunks, 0), chunkCount(height, r.chunk_rows), at("chunks"));
  for (const lane of r.lanes) {
    assert.ok(!("busy_ms" in lane), "busy_ms was renamed active_ms");
    assert.ok(lane.active_ms >= 0 && lane.active_ms <= r.wall_ms + 1e-9, at(`lane ${lane.lane} active_ms`));
  }
}

test("cores lab: running 1 vs 2 threads from the UI shows a real speedup", async () => {
  const lab = await openLab();
  const { hardwareConcurrency: cores } = await lab.machine();
  await lab.setThreads(2);
  assert.equal(await lab.text("threads-value"), "2");
  await lab.run();
  const baseline = parseFloat(await lab.text("baseline-ms"));
  const wall = parseFloat(await lab.text("wall-ms"));
  const speedup = parseFloat(await lab.text("speedup"));
  // Same work, same load, measured back to back: two threads finish it sooner than one.
  assert.ok(speedup > 1.0, `speedup ${speedup}`);
  // The shown figures agree with each other (each rounded for display).
  assertNear(speedup, baseline / wall, 0.006 + speedup * (0.05 / baseline + 0.05 / wall), "speedup shown");
  assertNear(parseFloat(await lab.text("efficiency")), (100 * speedup) / 2, 1, "efficiency shown");
  const cpu = (await lab.text("cpu")).match(/^≈ (\d+) % of (\d+) cores?$/);
  assert.ok(cpu, await lab.text("cpu"));
  assert.equal(Number(cpu[2]), cores);
  assertNear(Number(cpu[1]), Math.min(100 * speedup, cores * 100), 1, "CPU use shown");
  assert.match(await lab.page.getAttribute("[data-testid=cpu]", "title"), /cannot read CPU time/);
  const labels = await lab.page.$$eval("[data-testid=summary] dt", (dts) => dts.map((dt) => dt.textContent.trim()));
  assert.deepEqual(labels, ["run", "1 thread", "2 threads", "speedup", "efficiency", "CPU use (derived)", "answer"]);
  assert.equal(await lab.text("summary-of"), "#1 in the table: 1 thread vs 2 threads, 640×400");
  assert.equal(await lab.text("same-answer"), "same image as 1 thread ✓");
  assert.match(await lab.text("machine-facts"), /measured on \d+ logical cores · cross-origin isolated · \d+ workers · \S+Chrome \d+/);
  // The timeline: the work items of both renders (640×400 in rows of 4) on workers, drawn as
  // at most one bar per lane per column.
  const lanes = await lab.page.$$eval("[data-testid=timeline] .lane-label", (els) => els.map((e) => e.textContent));
  assert.ok(lanes.length >= 2 && lanes.every((l) => /^worker \d+$/.test(l)), `lanes: ${lanes}`);
  const bars = (await lab.page.$$("[data-testid=timeline] rect.bar")).length;
  assert.ok(bars >= lanes.length && bars <= 2 * chunkCount(400), `${bars} bars`);
  const label = await lab.page.getAttribute("[data-testid=timeline] svg", "aria-label");
  assert.equal(Number(label.match(/^Timeline of (\d+) spans/)[1]), 2 * chunkCount(400), label);
  assert.equal(await lab.droppedSpanNotices(), 0);
  await lab.page.screenshot({ path: join(ARTIFACTS, "cores-ui.png"), fullPage: true });
  lab.assertNoProblems();
});

test("cores lab: a sweep draws the speedup chart and the copy button offers JSON", async () => {
  const lab = await openLab();
  const { pool_threads: pool, hardwareConcurrency: cores } = await lab.machine();
  await lab.page.click("[data-testid=sweep]");
  await lab.waitIdle();
  assert.equal((await lab.page.$$(".chart .point")).length, pool);
  const json = JSON.parse(await lab.page.textContent("[data-testid=results-json]"));
  assert.equal(json.machine.cross_origin_isolated, true);
  assert.equal(json.machine.pool_threads, pool);
  assert.equal(json.machine.cores, cores);
  assert.deepEqual(json.runs.map((r) => r.threads), Array.from({ length: pool }, (_, i) => i + 1));
  assert.deepEqual(json.runs.map((r) => r.describe), json.runs.map((r) => threadsText(r.threads)));
  // Every point is measured against the same one-thread render; the first point is that render.
  assert.equal(new Set(json.runs.map((r) => r.baseline_ms)).size, 1, "one shared baseline");
  assert.equal(json.runs[0].speedup, 1);
  for (const r of json.runs) assertConsistent(r, { cores, pool, label: `sweep ${r.threads}: ` });
  // The history table lists the runs newest first, labelled as they ran.
  const rows = await lab.page.$$eval("[data-testid=history] tbody tr td:nth-child(2)", (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(rows, json.runs.map((r) => r.describe).reverse());
  // Every figure says which run it is: the sweep names its rows; a Run after it names its own.
  assert.equal(await lab.text("sweep-of"), `The sweep: runs 1–${pool} in the table below.`);
  // The chart has round ticks with its axes titled, and saves as a standalone SVG.
  const ticks = await lab.page.$$eval(".chart .gridline .tick", (ts) => ts.map((t) => t.textContent));
  assert.equal(ticks[0], "0×");
  assert.ok(ticks.length >= 3 && ticks.every((t) => /^\d+(\.\d+)?×$/.test(t)), ticks.join(" "));
  const [svg] = await Promise.all([lab.page.waitForEvent("download"), lab.page.click(".chart [data-testid=save-svg]")]);
  assert.equal(svg.suggestedFilename(), "speedup.svg");
  const text = readFileSync(await svg.path(), "utf8");
  assert.ok(text.includes("speedup over 1 thread") && text.includes('xmlns="http://www.w3.org/2000/svg"'), text.slice(0, 200));
  assert.equal((text.match(/<circle/g) ?? []).length, pool, "every measured point is in the file");
  await lab.page.click("[data-testid=run]");
  await lab.waitIdle();
  assert.match(await lab.text("summary-of"), new RegExp(`^#${pool + 1} in the table: 1 thread vs `));
  lab.assertNoProblems();
});

test("window.lab.run('cores') measures speedup against a 1-thread run of the same work", async () => {
  const lab = await openLab();
  const { pool_threads: pool, hardwareConcurrency: cores } = await lab.machine();
  const r = await lab.consoleRun("cores", { threads: 2 });
  assert.deepEqual(
    [r.threads, r.schedule, r.threads_used, r.describe, r.width, r.height, r.max_iter, r.chunk_rows, r.repeats],
    [2, "parallel", 2, "2 threads", 640, 400, 1000, 4, 1]);
  assert.deepEqual(r.wall_ms_samples, [r.wall_ms]);
  assert.deepEqual(r.baseline_ms_samples, [r.baseline_ms]);
  assertConsistent(r, { cores, pool });
  assert.ok(r.speedup > 1.0, `speedup ${r.speedup}`);
  lab.assertNoProblems();
});

test("six threads on the pool never report more CPU than the machine has cores", async () => {
  const lab = await openLab();
  const { pool_threads: pool, hardwareConcurrency: cores } = await lab.machine();
  assert.ok(pool >= 6, `the pool has at least 6 workers (has ${pool})`);
  const r = await lab.consoleRun("cores", { threads: 6, width: 320, height: 200 });
  assert.deepEqual([r.threads, r.threads_used, r.describe, r.width, r.height], [6, 6, "6 threads", 320, 200]);
  // On a 2-core machine six workers only take turns: at most 200 %, derived from the work rate.
  assertConsistent(r, { cores, pool, height: 200 });
  assert.ok(r.cpu_percent <= cores * 100 + 1e-9, `cpu ${r.cpu_percent} on ${cores} cores`);
  lab.assertNoProblems();
});

test("tasks taking turns on one thread count as one thread", async () => {
  const lab = await openLab();
  const { pool_threads: pool, hardwareConcurrency: cores } = await lab.machine();
  const r = await lab.consoleRun("cores", { threads: 4, schedule: "interleaved", width: 320, height: 200 });
  assert.deepEqual([r.threads, r.schedule, r.threads_used, r.describe], [4, "interleaved", 1, "4 tasks on 1 thread"]);
  assertNear(r.efficiency, r.speedup, 1e-9, "efficiency of one thread");
  assertConsistent(r, { cores, pool, height: 200 });
  // All four tasks ran on one worker.
  assert.equal(r.lanes.length, 1, JSON.stringify(r.lanes));
  assert.equal(r.lanes[0].chunks, chunkCount(200));
  lab.assertNoProblems();
});

test("bad parameters reject with a message that names the field and its range", async () => {
  const lab = await openLab();
  const { pool_threads: pool } = await lab.machine();
  const error = (params) => lab.consoleError("cores", params);
  assert.equal(await error({ threads: 999 }), "cores: threads must be an integer between 1 and 16 (got 999)");
  assert.equal(await error({ threads: 0 }), "cores: threads must be an integer between 1 and 16 (got 0)");
  assert.equal(await error({ threads: 2.5 }), "cores: threads must be an integer between 1 and 16 (got 2.5)");
  assert.equal(await error({ thread: 2 }),
    "cores: unknown parameter 'thread'; parameters are: threads, width, height, max_iter, chunk_rows, schedule, repeats");
  assert.equal(await error({ max_iter: "lots" }), 'cores: max_iter must be an integer between 1 and 20000 (got "lots")');
  assert.equal(await error({ schedule: "magic" }), 'cores: schedule must be one of parallel, interleaved (got "magic")');
  // After the definitions, the lab's own rules: the pool's size and chunk_rows within height.
  const over = pool + 1;
  assert.equal(await error({ threads: over }), pool < 16
    ? `threads must be between 1 and ${pool} (got ${over})`
    : `cores: threads must be an integer between 1 and 16 (got ${over})`);
  assert.equal(await error({ height: 16, chunk_rows: 17 }), "chunk_rows must be between 1 and 16 (got 17)");
  assert.equal(await lab.consoleError("nope", {}),
    "unknown lab 'nope'; labs are: cores, race, deadlock, semaphore, signals, queue, starvation, gil, thread-count, sched-model, isolation, pool, crash, downloads, join-daemon, costs, thread-local, subprocess, process-loops, manager, io-models, select-epoll, explore, litmus-hw, async-waits, block-loop, loop-model, js-real");
  // The form validates too.
  await lab.page.fill("[data-testid=max-iter]", "0");
  await lab.page.click("[data-testid=run]");
  assert.equal(await lab.text("error"), "max_iter must be between 1 and 20000 (got 0)");
  lab.assertNoProblems();
});

test("a long run can be cancelled long before it would finish, and the lab stays usable", async () => {
  const lab = await openLab();
  // The same view and limit at 1/256 of the pixels, measured now, under the same load:
  // the full 2048×2048 run would take about 256 times as long.
  const probe = await lab.consoleRun("cores", { threads: 2, width: 128, height: 128, max_iter: 20000 });
  const fullEstimateMs = 256 * (probe.baseline_ms + probe.wall_ms);
  const outcome = await lab.page.evaluate(async () => {
    const started = performance.now();
    const run = window.lab.run("cores", { threads: 2, width: 2048, height: 2048, max_iter: 20000 }).then(() => "finished", (e) => e.message);
    await new Promise((r) => setTimeout(r, 300));
    window.lab.cancel();
    return { message: await run, ms: performance.now() - started };
  });
  assert.equal(outcome.message, "cancelled");
  assert.ok(outcome.ms < fullEstimateMs / 10, `cancel took ${outcome.ms} ms; the whole run would take about ${fullEstimateMs} ms`);
  // From the page: Cancel reads as a status, not an error.
  await lab.page.fill("[data-testid=max-iter]", "20000");
  await lab.page.click("[data-testid=run]");
  await lab.page.waitForSelector("[data-testid=cancel]:not([disabled])");
  await lab.page.click("[data-testid=cancel]");
  await lab.page.waitForSelector("[data-testid=cancelled]", { timeout: 30000 });
  assert.match(await lab.text("cancelled"), /^Cancelled: the run was stopped before it finished \(cancelled\); nothing went wrong\.$/);
  assert.equal(await lab.page.locator("[data-testid=error]").count(), 0);
  const again = await lab.consoleRun("cores", { threads: 1, width: 64, height: 64 });
  assert.deepEqual([again.same_as_baseline, again.describe, again.threads_used], [true, "1 thread", 1]);
  assert.equal(again.lanes.reduce((sum, l) => sum + l.chunks, 0), chunkCount(64));
  lab.assertNoProblems();
});
