// End-to-end: the event-loop lab: many waits on one thread, a blocked loop, and the
// step-through model, through the UI and through window.lab, as a visitor would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite, assertNear } from "../harness.mjs";
import { EventLoopPage, THREAD_STATES } from "../pages.mjs";

const site = useSite();

async function openLab() {
  const lab = new EventLoopPage(await openPage(site.browser), site.server.url);
  await lab.open("event-loop");
  await lab.waitForPool();
  return lab;
}

const run = (lab, id, params) => lab.page.evaluate(([id, params]) => window.lab.run(id, params), [id, params]);

test("ten 200 ms waits overlap on one thread; awaited in turn they add up; blocking workers overlap only as many as they are", async () => {
  const lab = await openLab();
  const r = await run(lab, "async-waits", { tasks: 10, wait_ms: 200 });
  // What the parameters promise with exact timers: 200 ms at once, 2 s in turn.
  assert.equal(r.ideal_ms, 200);
  assert.equal(r.sequential_ideal_ms, 2000);
  // A timer never fires early; each task ends within the run it belongs to.
  assert.ok(r.wall_ms >= 195, `one thread: ${r.wall_ms} ms`);
  assert.equal(r.finish_ms.length, 10);
  assert.ok(r.finish_ms.every((t) => t >= 195 && t <= r.wall_ms + 1e-9), `finish: ${r.finish_ms} within ${r.wall_ms}`);
  assert.deepEqual(r.states, Array(10).fill("done"));
  assert.deepEqual([r.done, r.cancelled, r.winner], [10, 0, null]);
  assert.ok(r.sequential_ms >= r.sequential_ideal_ms - 50, `sequential: ${r.sequential_ms} ms`);
  // Measured under the same load, the waits overlap: far less than one after another.
  assertNear(r.overlap, r.sequential_ms / r.wall_ms, 1e-9, "overlap");
  assert.ok(r.wall_ms < r.sequential_ms / 3, `one thread ${r.wall_ms} ms vs in turn ${r.sequential_ms} ms`);
  const pool = await lab.page.evaluate(() => window.lab.machine().pool_threads);
  assert.equal(r.threads_used, pool);
  // A waiting worker holds its thread: ceil(10 / pool) rounds of 200 ms.
  assert.equal(r.threads_ideal_ms, Math.ceil(10 / pool) * 200);
  assert.ok(r.threads_ms >= r.threads_ideal_ms * 0.97, `threads: ${r.threads_ms} ms`);
  if (pool < 10) {
    assert.ok(r.threads_ms > r.wall_ms, `the pool (${r.threads_ms} ms) overlaps fewer waits than the loop (${r.wall_ms} ms)`);
  }
  lab.assertNoProblems();
});

test("race, timeout and cancel end the right tasks", async () => {
  const lab = await openLab();
  const quick = { sequential: false, threads: false };
  // Waits of 100, 200, 300, 400, 500 ms: the first ends the race.
  const race = await run(lab, "async-waits", { tasks: 5, wait_ms: 100, stagger_ms: 100, strategy: "first", ...quick });
  assert.equal(race.winner, 0);
  assert.deepEqual(race.states, ["done", "cancelled", "cancelled", "cancelled", "cancelled"]);
  assert.deepEqual([race.done, race.cancelled], [1, 4]);
  assert.deepEqual(race.finish_ms.slice(1), [null, null, null, null]);
  assert.ok(race.finish_ms[0] >= 95 && race.finish_ms[0] <= race.wall_ms + 1e-9, `winner ${race.finish_ms[0]} of ${race.wall_ms}`);
  // Done before the slowest task's wait could even have ended: it did not wait for all.
  assert.ok(race.wall_ms < 500, `race: ${race.wall_ms} ms`);
  assert.deepEqual([race.sequential_ms, race.threads_ms, race.overlap], [null, null, null]);
  // Waits of 100, 300, 500, 700 ms against a 400 ms deadline: two make it.
  const late = await run(lab, "async-waits", { tasks: 4, wait_ms: 100, stagger_ms: 200, strategy: "timeout", timeout_ms: 400, ...quick });
  assert.deepEqual(late.states, ["done", "done", "cancelled", "cancelled"]);
  assert.deepEqual(late.finish_ms.slice(2), [null, null]);
  assert.ok(late.finish_ms[0] < late.finish_ms[1] && late.finish_ms[1] <= late.wall_ms + 1e-9, `finish ${late.finish_ms}`);
  // Not before the deadline, and before the last task's 700 ms wait could have ended.
  assert.ok(late.wall_ms >= 395 && late.wall_ms < 700, `timeout: ${late.wall_ms} ms`);
  const cancelled = await lab.page.evaluate(async () => {
    const started = performance.now();
    const pending = window.lab.run("async-waits", { tasks: 3, wait_ms: 3000 }).then(() => "finished", (e) => e.message);
    await new Promise((r) => setTimeout(r, 300));
    window.lab.cancel();
    return { message: await pending, ms: performance.now() - started };
  });
  assert.equal(cancelled.message, "cancelled");
  // Cancelled inside the first 3000 ms wait, which an uncancelled run would have sat out.
  assert.ok(cancelled.ms < 3000, `cancel took ${cancelled.ms} ms`);
  const again = await run(lab, "async-waits", { tasks: 2, wait_ms: 10, ...quick });
  assert.deepEqual([again.done, again.states], [2, ["done", "done"]]);
  lab.assertNoProblems();
});

test("blocking the loop makes a long task; offloading the same work makes none of its own", async () => {
  const lab = await openLab();
  // Each mode is compared with the block measured in the same test, under the same load:
  // a busy machine may add long tasks and frame gaps of its own to any of them.
  const block = await run(lab, "block-loop", { work_ms: 600, mode: "block" });
  assert.equal(block.long_tasks_supported, true);
  assert.ok(block.long_tasks >= 1, `block: ${JSON.stringify(block)}`);
  assert.ok(block.longest_long_task_ms >= 590, `longest long task ${block.longest_long_task_ms}`);
  assert.ok(block.longest_frame_gap_ms >= 590, `block gap ${block.longest_frame_gap_ms}`);
  assert.ok(block.wall_ms >= 595, `block did the work: ${block.wall_ms} ms`);
  assert.deepEqual([block.mode, block.yields, block.yield_with], ["block", 0, ""]);
  assert.ok(block.iterations > 0 && block.iterations % 4096 === 0, `block iterations ${block.iterations}`);
  const offload = await run(lab, "block-loop", { work_ms: 600, mode: "offload" });
  assert.ok(offload.long_tasks < block.long_tasks, `offload ${offload.long_tasks} vs block ${block.long_tasks} long tasks`);
  assert.ok(offload.longest_long_task_ms < block.longest_long_task_ms / 2,
    `offload's longest task ${offload.longest_long_task_ms} ms vs block's ${block.longest_long_task_ms} ms`);
  assert.ok(offload.longest_frame_gap_ms < block.longest_frame_gap_ms / 2, `offload gap ${offload.longest_frame_gap_ms} vs block gap ${block.longest_frame_gap_ms}`);
  assert.ok(offload.frames > block.frames, `frames: offload ${offload.frames}, block ${block.frames}`);
  assert.ok(offload.wall_ms >= 595, `offload did the work: ${offload.wall_ms} ms`);
  assert.deepEqual([offload.mode, offload.yields, offload.yield_with], ["offload", 0, ""]);
  assert.ok(offload.iterations > 0 && offload.iterations % 4096 === 0, `offload iterations ${offload.iterations}`);
  const chunked = await run(lab, "block-loop", { work_ms: 600, mode: "chunked", chunk_ms: 5 });
  // Every slice is at least 5 ms of the 600 ms: at most 120 yields; a slice the OS stretched
  // only makes fewer.
  assert.ok(chunked.yields <= Math.ceil(600 / 5) && chunked.yields >= 600 / 5 / 3, `chunked: ${JSON.stringify(chunked)}`);
  assert.match(chunked.yield_with, /^(scheduler\.yield|setTimeout\(0\))$/);
  assert.ok(chunked.wall_ms >= 595, `chunked did the work: ${chunked.wall_ms} ms`);
  assert.ok(chunked.longest_frame_gap_ms < block.longest_frame_gap_ms, `chunked gap ${chunked.longest_frame_gap_ms}`);
  assert.ok(chunked.iterations > 0 && chunked.iterations % 4096 === 0, `chunked iterations ${chunked.iterations}`);
  lab.assertNoProblems();
});

test("loop-model runs presets to the known output", async () => {
  const lab = await openLab();
  const sum = await run(lab, "loop-model", { preset: "print-sum" });
  assert.deepEqual(sum.output, ["start", "Compute 1 + 2 ...", "1 + 2 = 3", "end"]);
  assert.equal(sum.virtual_ms, 1000);
  assert.equal(sum.outcome, "finished");
  assert.deepEqual([sum.preset, sum.detail], ["print-sum", null]);
  const order = await run(lab, "loop-model", { preset: "js-order" });
  assert.deepEqual(order.output, ["script start", "script end", "promise1", "promise2", "setTimeout"]);
  assert.equal(order.virtual_ms, 0);
  assert.deepEqual([order.outcome, order.detail], ["finished", null]);
  // Too small a step budget stops the same preset early and says where.
  const cut = await run(lab, "loop-model", { preset: "js-order", max_steps: 1 });
  assert.deepEqual([cut.outcome, cut.steps, cut.detail], ["step_limit", 1, "stopped after 1 steps"]);
  lab.assertNoProblems();
});

test("bad parameters reject with a message that names the field and its range", async () => {
  const lab = await openLab();
  const error = (id, params) => lab.consoleError(id, params);
  assert.equal(await error("async-waits", { tasks: 0 }), "async-waits: tasks must be an integer between 1 and 50 (got 0)");
  assert.equal(await error("async-waits", { wait_ms: 5001 }), "async-waits: wait_ms must be an integer between 0 and 5000 (got 5001)");
  assert.equal(await error("async-waits", { task: 3 }),
    "async-waits: unknown parameter 'task'; parameters are: tasks, wait_ms, cpu_ms, rounds, stagger_ms, strategy, timeout_ms, sequential, threads");
  assert.equal(await error("async-waits", { strategy: "all" }), 'async-waits: strategy must be one of gather, first, timeout (got "all")');
  assert.equal(await error("async-waits", { sequential: "yes" }), 'async-waits: sequential must be true or false (got "yes")');
  // Every field fits its definition; together they break the lab's own one-minute rule.
  assert.match(await error("async-waits", { tasks: 50, wait_ms: 5000 }), /^the tasks' work adds up to 250000 ms .*keep it at most 60000 ms$/s);
  assert.equal(await error("block-loop", { work_ms: 5000 }), "block-loop: work_ms must be an integer between 1 and 3000 (got 5000)");
  assert.equal(await error("block-loop", { mode: "spin" }), 'block-loop: mode must be one of block, chunked, offload (got "spin")');
  assert.equal(await error("loop-model", { preset: "nope" }),
    "unknown preset 'nope'; presets are: print-sum, future-handoff, create-task, js-order, generator-pingpong, greenlet, gevent, downloads-generator, downloads-greenlet");
  assert.equal(await error("loop-model", { preset: 3 }), "loop-model: preset must be a text of at most 64 characters (got 3)");
  const experiments = await lab.page.evaluate(() => window.lab.labs());
  assert.deepEqual(experiments.slice(-4), ["async-waits", "block-loop", "loop-model", "js-real"]);
  // The forms validate too, with the same range.
  await lab.fill("aw-tasks", "0");
  await lab.page.click("[data-testid=aw-run]");
  assert.equal(await lab.text("aw-error"), "tasks must be between 1 and 50 (got 0)");
  await lab.fill("bl-work-ms", "9000");
  await lab.page.click("[data-testid=bl-run-block]");
  assert.equal(await lab.text("bl-error"), "work_ms must be between 1 and 3000 (got 9000)");
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
  const description = await lab.text("model-description");
  assert.notEqual(description, "");
  // Keyboard: n steps, End runs to the end, r resets.
  await lab.pressOnStage("n");
  assert.equal(await lab.stepCount(), 5);
  await lab.pressOnStage("End");
  await lab.page.waitForSelector("[data-testid=model-outcome]");
  assert.deepEqual(await lab.modelOutput(), ["script start", "script end", "promise1", "promise2", "setTimeout"]);
  assert.match(await lab.text("model-outcome"), /finished/);
  await lab.pressOnStage("r");
  assert.equal(await lab.stepCount(), 0);
  assert.deepEqual(await lab.currentLines(), { python: "", javascript: "" });
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
  assert.deepEqual(await lab.modelOutput(), ["script start", "script end", "promise1", "promise2", "setTimeout"]);
  assert.match(await lab.text("model-explanation"), /microtask/);
  assert.match(await lab.text("model-explanation-zh"), /微任务/);
  // The model is deterministic: the same four steps light the same lines with the same words.
  await lab.pressOnStage("r");
  await lab.step(4);
  assert.deepEqual(await lab.currentLines(), lines);
  assert.equal(await lab.text("model-description"), description);
  // The step that prints "script end" lights that statement in both notations.
  for (let i = 0; i < 40 && !(await lab.modelOutput()).includes("script end"); i++) await lab.step();
  assert.deepEqual(await lab.modelOutput(), ["script start", "script end"]);
  const printed = await lab.currentLines();
  assert.equal(printed.javascript, 'console.log("script end");');
  assert.match(printed.python, /print\("script end"\)/);
  lab.assertNoProblems();
});

test("the page runs all three sections from the UI (screenshot)", async () => {
  const lab = await openLab();
  await lab.runWaits({ tasks: 10, wait_ms: 200 });
  const wall = parseFloat(await lab.text("aw-wall-ms"));
  const sequential = parseFloat(await lab.text("aw-sequential-ms"));
  // The same waits in turn, measured in the same run, take several times as long.
  assert.ok(wall >= 195 && wall < sequential / 3, `UI one-thread wall ${wall} ms vs ${sequential} ms in turn`);
  assert.equal(await lab.text("aw-counts"), "10 · 0");
  assert.deepEqual(await lab.taskStates(), Array(10).fill("done"));
  const lanes = await lab.page.$$eval("[data-testid=timeline] .lane-label", (els) => els.map((e) => e.textContent));
  const pool = await lab.page.evaluate(() => window.lab.machine().pool_threads);
  const taskLanes = lanes.filter((l) => l.endsWith(" · main thread"));
  assert.deepEqual(taskLanes, Array.from({ length: 10 }, (_, i) => `task ${i} · main thread`));
  const workerLanes = lanes.filter((l) => l.startsWith("worker "));
  assert.ok(workerLanes.length >= 1 && workerLanes.length <= pool, `lanes: ${lanes}`);
  assert.ok(workerLanes.every((l) => /^worker \d+ · own thread$/.test(l)), `lanes: ${lanes}`);
  // Bars are coloured by thread state, with the legend's names: waits on the loop, sleeps
  // on the workers that block through them.
  // No lock is taken here, so the legend has no "blocked".
  assert.ok(!(await lab.assertLegendFromBars()).includes("blocked"));
  const states = new Set(await lab.barStates());
  assert.ok([...states].every((s) => THREAD_STATES.includes(s)), `bar states: ${[...states]}`);
  assert.ok(states.has("waiting") && states.has("sleeping"), `bar states: ${[...states]}`);
  assert.equal(await lab.droppedSpanNotices(), 0);
  // A loaded machine can add a long task of the page's own (painting the last run's
  // timeline) to any mode: offloading must not add more than blocking, and its gaps stay short.
  // Under a full suite's load that comparison failed once: it is measured twice before failing.
  let blockLongTasks = 0;
  let offloadLongTasks = 0;
  for (let attempt = 1; attempt <= 2; attempt++) {
    await lab.runAllBlockModes(500);
    blockLongTasks = Number(await lab.text("bl-block-long-tasks"));
    offloadLongTasks = Number(await lab.text("bl-offload-long-tasks"));
    if (offloadLongTasks <= blockLongTasks) break;
  }
  assert.ok(blockLongTasks >= 1, `block: ${blockLongTasks} long tasks`);
  assert.ok(offloadLongTasks <= blockLongTasks, `offload ${offloadLongTasks} vs block ${blockLongTasks} long tasks`);
  assert.ok(parseFloat(await lab.text("bl-offload-gap")) < parseFloat(await lab.text("bl-block-gap")) / 2);
  await lab.chooseProgram("future-handoff");
  await lab.step(14);
  assert.equal(await lab.stepCount(), 14);
  const lines = await lab.currentLines();
  assert.ok(lines.python.length > 0 && lines.javascript.length > 0, `lit lines: ${JSON.stringify(lines)}`);
  await lab.page.screenshot({ path: join(ARTIFACTS, "event-loop.png"), fullPage: true });
  lab.assertNoProblems();
});
