// End-to-end: the interleaving explorer, through the page and through window.lab.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { serve } from "../serve.mjs";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite, DIST } from "../harness.mjs";
import { ExplorerPage } from "../pages.mjs";

const site = useSite();

async function openExplorer() {
  const lab = new ExplorerPage(await openPage(site.browser), site.server.url);
  await lab.open();
  return lab;
}

test("exploring `balance` lists every ending with exact counts, and the -8 witness replays in step mode", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  await lab.pickPreset("balance");
  await lab.explore();
  const finals = await lab.finalStates();
  assert.deepEqual(finals.map((f) => f.value),
    ["balance = -8", "balance = -5", "balance = -3", "balance = 0", "balance = 3", "balance = 5", "balance = 8"]);
  assert.deepEqual(finals.find((f) => f.value === "balance = -8").count, "8 of 70 schedules reach it");
  assert.deepEqual(finals.find((f) => f.value === "balance = 0").count, "30 of 70 schedules reach it");
  assert.equal(await lab.text("no-problems"), "None found.");
  assert.match(await lab.text("explore-summary"), /with reduction in [\d.]+ ms on a worker thread/);
  assert.match(await lab.text("explore-summary"), /Every schedule one by one: 70 schedules, 251 states/);

  await lab.replayFinalState("balance = -8");
  assert.match(await lab.text("step-notice"), /Loaded a schedule of 8 steps/);
  assert.equal(await lab.shared("balance"), 0, "the replay starts at the initial state");
  assert.equal(await lab.text("position"), "step 0 of 8");
  await lab.jumpToEnd();
  assert.equal(await lab.shared("balance"), -8);
  assert.equal(await lab.text("step-outcome"), "Finished: balance = -8");
  assert.match(await lab.text("last-step"), /^Step 8: t\d: store balance ← -8$/);
  assert.equal(await lab.canStep(0), false);
  assert.equal(await lab.canStep(1), false);
  await lab.page.screenshot({ path: join(ARTIFACTS, "explorer.png"), fullPage: true });
  lab.assertNoProblems();
});

test("step mode: the notes' interleaving by hand, with undo and redo, reaches balance = -8", async () => {
  const lab = await openExplorer();
  await lab.pickPreset("balance");
  assert.match(await lab.text("last-step"), /No step yet/);
  await lab.step(0);
  assert.equal(await lab.text("last-step"), "Step 1: t1: load balance → tmp (0)");
  const currentLine = await lab.page.textContent("[data-testid=thread-0] .code-line.current .line-number");
  assert.equal(currentLine.trim(), "8", "t1 is still on line 8: the store is next");
  await lab.step(1);
  await lab.step(1);
  assert.equal(await lab.text("last-step"), "Step 3: t2: store balance ← 8");
  assert.equal(await lab.shared("balance"), 8);
  await lab.step(0);
  assert.equal(await lab.text("last-step"), "Step 4: t1: store balance ← 5");
  assert.equal(await lab.shared("balance"), 5, "t1 wrote over t2's deposit");

  await lab.undo();
  assert.equal(await lab.shared("balance"), 8);
  assert.equal(await lab.text("position"), "step 3 of 4");
  await lab.redo();
  assert.equal(await lab.shared("balance"), 5);

  // The rest of the schedule from the keyboard: the thread buttons are real buttons.
  for (const thread of [0, 0, 1, 1]) {
    await lab.page.focus(`[data-testid=step-${thread}]`);
    await lab.page.keyboard.press("Enter");
  }
  assert.equal(await lab.shared("balance"), -8);
  assert.equal(await lab.text("step-outcome"), "Finished: balance = -8");
  assert.equal(await lab.text("status-0"), "finished");
  const steps = await lab.page.$$eval("[data-testid=step-log] li", (items) => items.map((li) => li.textContent.trim()));
  assert.equal(steps.length, 8);
  assert.equal(steps[7], "t2: store balance ← -8");
  // Clicking a step in the list goes back to it.
  await lab.page.click("[data-testid=step-log] li:nth-child(4) button");
  assert.equal(await lab.shared("balance"), 5);
  // The schedule as text, and typed back in: the notes' interleaving is replayable.
  assert.equal(await lab.page.inputValue("[data-testid=schedule-input]"), "t1 t2 t2 t1 t1 t1 t2 t2");
  await lab.loadSchedule("t1 t2 t2 t1 t1 t1 t2 t2");
  assert.equal(await lab.text("position"), "step 0 of 8");
  await lab.jumpToEnd();
  assert.equal(await lab.shared("balance"), -8);
  await lab.loadSchedule("t1 t3");
  assert.equal(await lab.text("schedule-error"), "step 2: no thread 't3'; the threads are t1, t2 (or 0 to 1)");
  lab.assertNoProblems();
});

test("a syntax error shows its line and column as you type, and a preset fixes it", async () => {
  const lab = await openExplorer();
  await lab.typeProgram("shared x = 0\nthread t {\n  x = = 1\n}\n");
  assert.match(await lab.text("parse-error"), /^Line 3, column 7: expected a value/);
  assert.equal(await lab.page.getAttribute("[data-testid=source]", "aria-invalid"), "true");
  assert.equal(await lab.page.isEnabled("[data-testid=explore]"), false);
  // Step mode keeps the last program that parsed.
  assert.equal(await lab.shared("balance"), 0);
  await lab.typeProgram("shared x = 0\nthread t {\n  x = x + 1\n}\n");
  assert.match(await lab.text("parse-ok"), /parsed: 1 thread$/);
  assert.equal(await lab.shared("x"), 0);
  await lab.step(0);
  await lab.step(0);
  assert.equal(await lab.shared("x"), 1);
  lab.assertNoProblems();
});

test("deadlock-ab-ba: explore reports the deadlock and its replay ends with both threads blocked", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  await lab.pickPreset("deadlock-ab-ba");
  await lab.explore();
  const deadlocks = await lab.page.$$eval("[data-testid=deadlock] .message", (items) => items.map((m) => m.textContent));
  assert.deepEqual(deadlocks, ["t1 waits for lock b (held by t2); t2 waits for lock a (held by t1)"]);
  await lab.replayDeadlock();
  await lab.jumpToEnd();
  assert.match(await lab.text("step-outcome"), /^Deadlock: t1 waits for lock b \(held by t2\)/);
  assert.equal(await lab.text("status-0"), "blocked: lock b (held by t2)");
  assert.equal(await lab.text("lock-a"), "lock a: held by t1");
  lab.assertNoProblems();
});

test("window.lab.run('explore') finds -8 with its witness, counts schedules and reports deadlocks", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  const r = await lab.page.evaluate(() => window.lab.run("explore", { preset: "balance" }));
  for (const field of ["final_states", "deadlocks", "assertion_failures", "schedules", "states", "ms", "limit_reached", "ran_on", "total_schedules"]) {
    assert.ok(field in r, `missing ${field}`);
  }
  assert.equal(r.ran_on, "worker");
  assert.equal(r.limit_reached, null);
  assert.ok(r.ms >= 0);
  const minus8 = r.final_states.find((f) => f.shared.balance === -8);
  assert.ok(minus8, JSON.stringify(r.final_states.map((f) => f.shared)));
  assert.equal(minus8.witness.length, 8);
  assert.ok(minus8.witness.every((t) => t === 0 || t === 1));
  assert.equal(minus8.schedules, 8);
  assert.equal(r.total_schedules, 70);
  assert.ok(!r.final_states.some((f) => f.shared.balance === 13));

  const dead = await lab.page.evaluate(() => window.lab.run("explore", { preset: "deadlock-ab-ba", mode: "random", schedules: 200, seed: 7 }));
  assert.equal(dead.deadlocks.length, 1);
  assert.ok(dead.deadlocks[0].witness.length >= 2);
  assert.equal(dead.schedules, 200);

  const inline = await lab.page.evaluate(() => window.lab.run("explore", {
    program: "shared x = 0\nthread a { x = x + 1 }\nthread b { x = x + 1 }\nassert x == 2, \"lost update\"",
    mode: "count",
  }));
  assert.deepEqual(inline.final_states.map((f) => [f.shared.x, f.schedules]), [[1, 4], [2, 2]]);
  assert.equal(inline.assertion_failures[0].message, "after all threads: assert x == 2 failed: lost update");
  assert.ok(Array.isArray(inline.assertion_failures[0].witness));
  const experiments = await lab.page.evaluate(() => window.lab.labs());
  for (const id of ["explore"]) assert.ok(experiments.includes(id), `${id} missing from ${experiments}`);
  lab.assertNoProblems();
});

test("bad parameters and programs reject with clear messages", async () => {
  const lab = await openExplorer();
  const errors = await lab.page.evaluate(async () => {
    const tryRun = (p) => window.lab.run("explore", p).then(() => "resolved", (e) => e.message);
    return [
      await tryRun({ preset: "nope" }),
      await tryRun({ budget: 5 }),
      await tryRun({ mode: "all" }),
      await tryRun({ presets: "balance" }),
      await tryRun({ program: "shared x = 0\nthread t { x = = 1 }" }),
      await tryRun({ preset: "balance", program: "thread t { pass }" }),
      await tryRun({ mode: "random", schedules: 0 }),
    ];
  });
  assert.match(errors[0], /^unknown preset 'nope'; presets are: balance, balance-lock, balance-3, deadlock-ab-ba/);
  assert.equal(errors[1], "budget must be between 100 and 1000000 (got 5)");
  assert.match(errors[2], /unknown variant `all`, expected one of `exhaustive`, `count`, `bounded`, `random`/);
  assert.match(errors[3], /unknown field `presets`/);
  assert.match(errors[4], /^explore: line 2, column 16: /);
  assert.equal(errors[5], "give either program or preset, not both");
  assert.equal(errors[6], "schedules must be between 1 and 100000 (got 0)");
  // The form validates with the same words.
  await lab.setBudget("lots");
  await lab.startExplore();
  assert.equal(await lab.text("explore-error"), "budget must be a whole number from 100 to 1000000");
  await lab.setBudget("50");
  await lab.startExplore();
  assert.equal(await lab.text("explore-error"), "budget must be between 100 and 1000000 (got 50)");
  lab.assertNoProblems();
});

test("a long search shows progress, can be cancelled, and says what it covered", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  await lab.typeProgram([
    "shared x = 0", "shared y = 0",
    "thread a { repeat 1000 { x = x + 1; y = y + x } }",
    "thread b { repeat 1000 { y = y + 1; x = x + y } }",
    "thread c { repeat 1000 { x = x - y } }",
  ].join("\n"));
  await lab.startExplore();
  await lab.page.waitForSelector(".explore-panel .progress");
  await lab.page.waitForTimeout(400);
  await lab.page.click("[data-testid=explore-cancel]");
  await lab.waitExploreIdle();
  assert.match(await lab.text("limit"), /^Incomplete: cancelled after \d+ states; results are incomplete/);
  // The page still works: a small search afterwards completes.
  await lab.pickPreset("balance-lock");
  await lab.explore();
  assert.deepEqual((await lab.finalStates()).map((f) => f.value), ["balance = 0"]);
  lab.assertNoProblems();
});

test("without cross-origin isolation the search runs on the main thread with a reduced budget", async () => {
  const plain = await serve(DIST, { isolate: false });
  try {
    const lab = new ExplorerPage(await openPage(site.browser), plain.url);
    await lab.open();
    const r = await lab.page.evaluate(() => window.lab.run("explore", { preset: "balance" }));
    assert.equal(r.ran_on, "main-thread (budget reduced)");
    assert.equal(r.budget, 20000);
    assert.ok(r.final_states.some((f) => f.shared.balance === -8));
    await lab.explore();
    assert.match(await lab.text("explore-summary"), /on the page's main thread with the budget reduced to 20\u202f000 states/);
    lab.assertNoProblems();
  } finally {
    await plain.close();
  }
});
