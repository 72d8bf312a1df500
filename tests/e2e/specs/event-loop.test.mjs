// End-to-end: the event-loop lab: many waits on one thread, a blocked loop, and the
// step-through model, through the UI and through window.lab, as a visitor would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { EventLoopPage } from "../pages.mjs";

const site = useSite();

async function openLab() {
  const lab = new EventLoopPage(await openPage(site.browser), site.server.url);
  await lab.open("event-loop");
  await lab.waitForPool();
  return lab;
}

const run = (lab, id, params) => lab.page.evaluate(([id, params]) => window.lab.run(id, params), [id, params]);

test("ten 200 ms waits take under 400 ms on one thread; one after another 2 s; blocking workers in between", async () => {
  const lab = await openLab();
  const r = await run(lab, "async-waits", { tasks: 10, wait_ms: 200 });
  assert.ok(r.wall_ms >= 195 && r.wall_ms < 400, `one thread: ${r.wall_ms} ms`);
  assert.equal(r.finish_ms.length, 10);
  assert.ok(r.finish_ms.every((t) => t >= 195 && t < 400), `finish: ${r.finish_ms}`);
  assert.deepEqual(r.states, Array(10).fill("done"));
  assert.ok(r.sequential_ms >= 1950, `sequential: ${r.sequential_ms} ms`);
  const pool = await lab.page.evaluate(() => window.lab.machine().pool_threads);
  assert.equal(r.threads_used, pool);
  // A waiting worker holds its thread: ceil(10 / pool) rounds of 200 ms.
  assert.equal(r.threads_ideal_ms, Math.ceil(10 / pool) * 200);
  assert.ok(r.threads_ms >= r.threads_ideal_ms * 0.97, `threads: ${r.threads_ms} ms`);
  assert.ok(r.threads_ms > r.wall_ms, "the pool overlaps fewer waits than the loop");
  assert.ok(r.overlap > 5, `overlap ${r.overlap}`);
  lab.assertNoProblems();
});

test("race, timeout and cancel end the right tasks", async () => {
  const lab = await openLab();
  const quick = { sequential: false, threads: false };
  const race = await run(lab, "async-waits", { tasks: 5, wait_ms: 100, stagger_ms: 100, strategy: "first", ...quick });
  assert.equal(race.winner, 0);
  assert.deepEqual(race.states, ["done", "cancelled", "cancelled", "cancelled", "cancelled"]);
  // Done when the first is: waiting for all would take 500 ms.
  assert.ok(race.wall_ms < 300, `race: ${race.wall_ms} ms`);
  assert.equal(race.finish_ms[1], null);
  // Waits of 100, 300, 500, 700 ms against a 400 ms deadline: two make it.
  const late = await run(lab, "async-waits", { tasks: 4, wait_ms: 100, stagger_ms: 200, strategy: "timeout", timeout_ms: 400, ...quick });
  assert.deepEqual(late.states, ["done", "done", "cancelled", "cancelled"]);
  assert.ok(late.wall_ms >= 395 && late.wall_ms < 600, `timeout: ${late.wall_ms} ms`);
  const cancelled = await lab.page.evaluate(async () => {
    const started = performance.now();
    const pending = window.lab.run("async-waits", { tasks: 3, wait_ms: 3000 }).then(() => "finished", (e) => e.message);
    await new Promise((r) => setTimeout(r, 300));
    window.lab.cancel();
    return { message: await pending, ms: performance.now() - started };
  });
  assert.equal(cancelled.message, "cancelled");
  assert.ok(cancelled.ms < 1000, `cancel took ${cancelled.ms} ms`);
  const again = await run(lab, "async-waits", { tasks: 2, wait_ms: 10, ...quick });
  assert.equal(again.done, 2);
  lab.assertNoProblems();
});

test("blocking the loop makes a long task; offloading the same work makes none", async () => {
  const lab = await openLab();
  const block = await run(lab, "block-loop", { work_ms: 600, mode: "block" });
  assert.equal(block.long_tasks_supported, true);
  assert.ok(block.long_tasks >= 1, `block: ${JSON.stringify(block)}`);
  assert.ok(block.longest_long_task_ms >= 590, `longest long task ${block.longest_long_task_ms}`);
  assert.ok(block.longest_frame_gap_ms >= 590, `block gap ${block.longest_frame_gap_ms}`);
  const offload = await run(lab, "block-loop", { work_ms: 600, mode: "offload" });
  assert.equal(offload.long_tasks, 0, `offload: ${JSON.stringify(offload)}`);
  assert.ok(offload.wall_ms >= 595, `offload did the work: ${offload.wall_ms} ms`);
  assert.ok(offload.iterations > 0 && offload.frames >= 10, `offload: ${JSON.stringify(offload)}`);
  // Frame gaps also depend on how busy the machine is; only the block's is certain.
  assert.ok(offload.longest_frame_gap_ms < block.longest_frame_gap_ms / 2, `offload gap ${offload.longest_frame_gap_ms}`);
  const chunked = await run(lab, "block-loop", { work_ms: 600, mode: "chunked", chunk_ms: 5 });
  assert.ok(chunked.yields >= 50, `chunked: ${JSON.stringify(chunked)}`);
  assert.match(chunked.yield_with, /scheduler\.yield|setTimeout\(0\)/);
  assert.ok(chunked.longest_frame_gap_ms < block.longest_frame_gap_ms, `chunked gap ${chunked.longest_frame_gap_ms}`);
  lab.assertNoProblems();
});

test("loop-model runs presets to the known output", async () => {
  const lab = await openLab();
  const sum = await run(lab, "loop-model", { preset: "print-sum" });
  assert.deepEqual(sum.output, ["start", "Compute 1 + 2 ...", "1 + 2 = 3", "end"]);
  assert.equal(sum.virtual_ms, 1000);
  assert.equal(sum.outcome, "finished");
  const order = await run(lab, "loop-model", { preset: "js-order" });
  assert.deepEqual(order.output, ["script start", "script end", "promise1", "promise2", "setTimeout"]);
  assert.equal(order.virtual_ms, 0);
  lab.assertNoProblems();
});

test("bad parameters reject with a clear message", async () => {
  const lab = await openLab();
  const errors = await lab.page.evaluate(async () => {
    const tryRun = (id, p) => window.lab.run(id, p).then(() => "resolved", (e) => e.message);
    return [
      await tryRun("async-waits", { tasks: 0 }),
      await tryRun("async-waits", { task: 3 }),
      await tryRun("async-waits", { strategy: "all" }),
      await tryRun("async-waits", { tasks: 50, wait_ms: 5000 }),
      await tryRun("block-loop", { work_ms: 5000 }),
      await tryRun("block-loop", { mode: "spin" }),
      await tryRun("loop-model", { preset: "nope" }),
      await tryRun("loop-model", { preset: 3 }),
    ];
  });
  assert.match(errors[0], /tasks must be between 1 and 50 \(got 0\)/);
  assert.match(errors[1], /unknown field `task`/);
  assert.match(errors[2], /unknown variant `all`/);
  assert.match(errors[3], /adds up to 250000 ms/);
  assert.match(errors[4], /work_ms must be between 1 and 3000 \(got 5000\)/);
  assert.match(errors[5], /unknown variant `spin`/);
  assert.match(errors[6], /unknown preset 'nope'; presets are: print-sum, /);
  assert.match(errors[7], /invalid type/);
  const experiments = await lab.page.evaluate(() => window.lab.labs());
  for (const id of ["async-waits", "block-loop", "loop-model"]) assert.ok(experiments.includes(id), `${id} missing from ${experiments}`);
  // The forms validate too.
  await lab.fill("aw-tasks", "0");
  await lab.page.click("[data-testid=aw-run]");
  assert.match(await lab.text("aw-error"), /tasks must be between 1 and 50 \(got 0\)/);
  await lab.fill("bl-work-ms", "9000");
  await lab.page.click("[data-testid=bl-run-block]");
  assert.match(await lab.text("bl-error"), /work_ms must be between 1 and 3000 \(got 9000\)/);
  lab.assertNoProblems();
});

test("the step-through model steps, highlights both listings and reaches the known order", async () => {
  const lab = await openLab();
  await lab.chooseProgram("js-order");
  assert.equal(await lab.stepCount(), 0);
  assert.deepEqual(await lab.currentLines(), { python: "", javascript: "" });
  await lab.step(4);
  assert.equal(await lab.stepCount(), 4);
  const lines = await lab.currentLines();
  assert.ok(lines.python.length > 0 && lines.javascript.length > 0, `lit lines: ${JSON.stringify(lines)}`);
  assert.notEqual(await lab.text("model-description"), "");
  // Keyboard: n steps, End runs to the end, r resets.
  await lab.pressOnStage("n");
  assert.equal(await lab.stepCount(), 5);
  await lab.pressOnStage("End");
  await lab.page.waitForSelector("[data-testid=model-outcome]");
  assert.deepEqual(await lab.modelOutput(), ["script start", "script end", "promise1", "promise2", "setTimeout"]);
  assert.match(await lab.text("model-outcome"), /finished/);
  await lab.pressOnStage("r");
  assert.equal(await lab.stepCount(), 0);
  // Step until the first microtask is queued: the arrow and the box show it.
  for (let i = 0; i < 40; i++) {
    await lab.step();
    if ((await lab.page.$$("[data-testid=box-microtasks] li.new")).length > 0) break;
  }
  assert.match(await lab.text("model-arrow"), /call stack → microtask queue/);
  assert.ok(await lab.page.$("[data-testid=box-microtasks].to"), "the microtask box is the arrow's end");
  // Play runs on its own and stops at the end.
  await lab.page.selectOption("[data-testid=model-speed]", "80");
  await lab.page.click("[data-testid=model-play]");
  await lab.page.waitForSelector("[data-testid=model-outcome]", { timeout: 20000 });
  assert.equal((await lab.modelOutput()).length, 5);
  assert.match(await lab.text("model-explanation"), /microtask/);
  assert.match(await lab.text("model-explanation-zh"), /微任务/);
  lab.assertNoProblems();
});

test("the page runs all three sections from the UI (screenshot)", async () => {
  const lab = await openLab();
  await lab.runWaits({ tasks: 10, wait_ms: 200 });
  const wall = parseFloat(await lab.text("aw-wall-ms"));
  assert.ok(wall < 400, `UI one-thread wall ${wall} ms`);
  assert.deepEqual(await lab.taskStates(), Array(10).fill("done"));
  const lanes = await lab.page.$$eval("[data-testid=timeline] .lane-label", (els) => els.map((e) => e.textContent));
  assert.ok(lanes.includes("task 0 · main thread") && lanes.includes("task 9 · main thread"), `lanes: ${lanes}`);
  assert.ok(lanes.some((l) => l.startsWith("worker ")), `lanes: ${lanes}`);
  await lab.runAllBlockModes(500);
  assert.ok(Number(await lab.text("bl-block-long-tasks")) >= 1);
  assert.equal(await lab.text("bl-offload-long-tasks"), "0");
  await lab.chooseProgram("future-handoff");
  await lab.step(14);
  const lines = await lab.currentLines();
  assert.ok(lines.python.length > 0 && lines.javascript.length > 0);
  await lab.page.screenshot({ path: join(ARTIFACTS, "event-loop.png"), fullPage: true });
  lab.assertNoProblems();
});
